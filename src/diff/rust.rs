//! The Rust side of the comparison: two [`Surface`]s (what the generator
//! really emits) side by side. It reports what the spec walk in
//! `compare.rs` cannot see: renamed items, argument order, `Box`/`Option`
//! wrappers, named types renamed or moved to another module. Changes the
//! spec walk already made at the same place are not repeated.

use std::collections::{BTreeMap, BTreeSet};

use crate::surface::{Member, OperationSurface, Surface, TypeKind, TypeSurface, TypeText};

use super::compare::Changes;
use super::model::{Impact, Kind, Part};

/// Which side of the call a type sits on, for the [`Part`] of its changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Response,
}

/// Add the Rust-side changes of one operation present in both surfaces.
pub(super) fn compare_operation(
    old: (&Surface, &OperationSurface),
    new: (&Surface, &OperationSurface),
    out: &mut Changes,
) {
    let (old_op, new_op) = (old.1, new.1);
    let items = [
        ("module", &old_op.module, &new_op.module),
        (
            "client method",
            &old_op.client_method,
            &new_op.client_method,
        ),
        ("request type", &old_op.request, &new_op.request),
        (
            "response type",
            &old_op.response.name,
            &new_op.response.name,
        ),
        ("error enum", &old_op.error.name, &new_op.error.name),
    ];
    for (what, before, after) in items {
        if before != after {
            out.push(
                Part::Operation,
                "",
                Kind::RustName,
                Some(before.clone()),
                Some(after.clone()),
                Impact::Breaking,
                "another operation took its Rust name, so code naming it breaks",
            )
            .detail = Some(what.to_owned());
        }
    }
    let mut walk = Walk {
        old: old.0,
        new: new.0,
        old_op,
        new_op,
        out,
        seen: BTreeSet::new(),
    };
    walk.arguments();
    walk.members(
        Side::Request,
        Part::Parameter,
        "",
        &old_op.setters,
        &new_op.setters,
    );
    walk.members(
        Side::Response,
        Part::ResponseField,
        "",
        &old_op.response.fields,
        &new_op.response.fields,
    );
    walk.members(
        Side::Response,
        Part::ResponseHeader,
        "",
        &old_op.response.headers,
        &new_op.response.headers,
    );
    walk.errors();
    walk.paginator();
    annotate(old_op, new_op, out);
}

/// How the generated code takes a parameter: `argument 2 `zone_id: impl
/// Into<String>``, or `setter `dry_run(bool)``.
fn rust_form(op: &OperationSurface, wire: &str) -> Option<String> {
    if let Some(i) = op.args.iter().position(|m| m.wire == wire) {
        let arg = &op.args[i];
        return Some(format!(
            "argument {} `{}: {}`",
            i + 1,
            arg.name,
            arg.ty.text
        ));
    }
    op.setters
        .iter()
        .find(|m| m.wire == wire)
        .map(|m| format!("setter `{}({})`", m.name, m.ty.text))
}

/// Name, in the details of the spec walk's parameter and error code
/// changes, the Rust items they add or remove, as the surfaces have them.
fn annotate(old: &OperationSurface, new: &OperationSurface, out: &mut Changes) {
    let variant = |op: &OperationSurface, code: &str| {
        op.error
            .variants
            .iter()
            .find(|v| v.wire == code)
            .map(|v| format!("variant `{}::{}`", op.error.name, v.name))
    };
    for change in out.0.iter_mut().filter(|c| c.detail.is_none()) {
        let path = change.path.as_str();
        change.detail = match (change.part, change.kind) {
            (Part::Parameter, Kind::Added) => rust_form(new, path),
            (Part::Parameter, Kind::Removed) => rust_form(old, path).map(|f| format!("was {f}")),
            (Part::Parameter, Kind::Required) => rust_form(old, path)
                .zip(rust_form(new, path))
                .map(|(before, after)| format!("{before} -> {after}")),
            (Part::ErrorCode, Kind::Added) => variant(new, path),
            (Part::ErrorCode, Kind::Removed) => variant(old, path).map(|v| format!("was {v}")),
            _ => None,
        };
    }
}

struct Walk<'a, 'o> {
    old: &'a Surface,
    new: &'a Surface,
    old_op: &'a OperationSurface,
    new_op: &'a OperationSurface,
    out: &'o mut Changes,
    /// Type pairs already compared, so recursive types end.
    seen: BTreeSet<(String, String)>,
}

impl<'a> Walk<'a, '_> {
    /// Whether the spec walk already reported a breaking change here: the
    /// Rust view would say the same thing in other words.
    fn reported(&self, side: Side, path: &str) -> bool {
        self.out.0.iter().any(|c| {
            c.path == path
                && c.impact == Impact::Breaking
                && side_of(c.part) == Some(side)
                && matches!(
                    c.kind,
                    Kind::Type | Kind::Required | Kind::Added | Kind::Removed
                )
        })
    }

    fn arguments(&mut self) {
        let (old_args, new_args) = (&self.old_op.args, &self.new_op.args);
        self.members(Side::Request, Part::Parameter, "", old_args, new_args);
        // The order of the arguments both sides have: an inserted or removed
        // argument is reported on its own, a move is reported here.
        let common = |from: &'a [Member], other: &'a [Member]| -> Vec<&'a Member> {
            from.iter()
                .filter(|m| other.iter().any(|o| o.wire == m.wire))
                .collect()
        };
        let (before, after) = (common(old_args, new_args), common(new_args, old_args));
        let same = before.iter().zip(&after).all(|(a, b)| a.wire == b.wire);
        if same {
            return;
        }
        let position = |args: &[Member], wire: &str| {
            args.iter()
                .position(|m| m.wire == wire)
                .map_or(0, |i| i + 1)
        };
        let moves: Vec<String> = before
            .iter()
            .zip(&after)
            .filter(|(a, b)| a.wire != b.wire)
            .map(|(a, _)| {
                let now = new_args.iter().find(|m| m.wire == a.wire);
                format!(
                    "`{}` ({}) moves from argument {} to {}",
                    now.map_or(a.name.as_str(), |m| m.name.as_str()),
                    a.ty.text,
                    position(old_args, &a.wire),
                    position(new_args, &a.wire),
                )
            })
            .collect();
        let names = |args: &[&Member]| {
            args.iter()
                .map(|m| m.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let same_types = before
            .iter()
            .zip(&after)
            .all(|(a, b)| a.ty.text == b.ty.text);
        let reason = if same_types {
            "the request constructor and client method take these arguments in another order; calls still compile but pass each value as the other"
        } else {
            "the request constructor and client method take these arguments in another order"
        };
        self.out
            .push(
                Part::Operation,
                "",
                Kind::ArgumentOrder,
                Some(names(&before)),
                Some(names(&after)),
                Impact::Breaking,
                reason,
            )
            .detail = Some(moves.join("; "));
    }

    /// `into_paginator()` appearing, going, or paging differently.
    fn paginator(&mut self) {
        let (before, after) = (&self.old_op.paginator, &self.new_op.paginator);
        let (impact, reason, old, new) = match (before, after) {
            (None, None) => return,
            (None, Some(p)) => (
                Impact::Compatible,
                "`into_paginator()` added: a stream of pages, and `.items()` of items",
                None,
                Some(p.wire.clone()),
            ),
            (Some(p), None) => (
                Impact::Breaking,
                "`into_paginator()` removed: code calling it no longer compiles",
                Some(p.wire.clone()),
                None,
            ),
            (Some(a), Some(b)) if a.item.text != b.item.text => (
                Impact::Breaking,
                "`.items()` yields another type",
                Some(a.item.text.clone()),
                Some(b.item.text.clone()),
            ),
            (Some(a), Some(b)) if a.wire != b.wire => (
                Impact::Behavior,
                "pages are requested or read through other fields",
                Some(a.wire.clone()),
                Some(b.wire.clone()),
            ),
            (Some(_), Some(_)) => return,
        };
        self.out.push(
            Part::Operation,
            "",
            Kind::Pagination,
            old,
            new,
            impact,
            reason,
        );
    }

    /// Members (arguments, setters, fields) on both sides, matched by wire name.
    fn members(&mut self, side: Side, part: Part, prefix: &str, old: &[Member], new: &[Member]) {
        let new_by_wire: BTreeMap<&str, &Member> =
            new.iter().map(|m| (m.wire.as_str(), m)).collect();
        for before in old {
            let Some(after) = new_by_wire.get(before.wire.as_str()) else {
                continue;
            };
            let path = join(prefix, &before.wire);
            if before.name != after.name {
                let reason = match (side, part) {
                    (Side::Request, Part::Parameter) => {
                        "a new sibling took its Rust name, so its argument or setter is renamed"
                    }
                    _ => "a new sibling took its Rust field name, so the field is renamed",
                };
                self.out.push(
                    part,
                    &path,
                    Kind::RustName,
                    Some(before.name.clone()),
                    Some(after.name.clone()),
                    Impact::Breaking,
                    reason,
                );
            }
            self.types(side, part, &path, &before.ty, &after.ty);
        }
    }

    /// Two types at the same place: a changed shape is a type change, an
    /// unchanged one leads to the named types inside.
    fn types(&mut self, side: Side, part: Part, path: &str, old: &TypeText, new: &TypeText) {
        if old.shape != new.shape || old.refs.len() != new.refs.len() {
            if !self.reported(side, path) {
                self.out.push(
                    part,
                    path,
                    Kind::Type,
                    Some(old.text.clone()),
                    Some(new.text.clone()),
                    Impact::Breaking,
                    wrapper_reason(old, new),
                );
            }
            return;
        }
        let place = format!("{path}{}", place_suffix(&old.shape));
        let nested = match side {
            Side::Request => Part::ParameterField,
            Side::Response => Part::ResponseField,
        };
        for (before, after) in old.refs.iter().zip(&new.refs) {
            self.named(side, part, nested, &place, before, after);
        }
    }

    /// Two named types at the same place.
    fn named(&mut self, side: Side, part: Part, nested: Part, place: &str, old: &str, new: &str) {
        if !self.seen.insert((old.to_owned(), new.to_owned())) {
            return;
        }
        let (Some(before), Some(after)) = (
            lookup(self.old, self.old_op, old),
            lookup(self.new, self.new_op, new),
        ) else {
            return;
        };
        if before.kind != after.kind {
            if !self.reported(side, place) {
                self.out.push(
                    part,
                    place,
                    Kind::Type,
                    Some(old.to_owned()),
                    Some(new.to_owned()),
                    Impact::Breaking,
                    "its Rust type is now another kind of type",
                );
            }
            return;
        }
        if old != new && !self.reported(side, place) {
            let (kind, impact, reason) = if module_of(old) == module_of(new) {
                (
                    Kind::RustName,
                    Impact::Breaking,
                    "its Rust type got another name (a sibling took it); code naming the type breaks",
                )
            } else if self.still_reachable(old, new) {
                (
                    Kind::Moved,
                    Impact::Compatible,
                    "its Rust type moved to another module and the old module re-exports it, so old paths still work",
                )
            } else {
                (
                    Kind::Moved,
                    Impact::Breaking,
                    "its Rust type moved to another module; code naming it by the old path breaks",
                )
            };
            self.out.push(
                part,
                place,
                kind,
                Some(old.to_owned()),
                Some(new.to_owned()),
                impact,
                reason,
            );
        }
        match before.kind {
            TypeKind::Struct => self.members(side, nested, place, &before.fields, &after.fields),
            TypeKind::Enum => self.variants(part, place, before, after),
            TypeKind::Alias => {
                if let (Some(o), Some(n)) = (&before.target, &after.target) {
                    self.types(side, part, place, o, n);
                }
            }
        }
    }

    /// Whether the old path `old` names the new type `new` in the new crate:
    /// same name, and the operation module re-exports it there.
    fn still_reachable(&self, old: &str, new: &str) -> bool {
        let (Some((old_module, old_name)), Some((_, new_name))) =
            (old.rsplit_once("::"), new.rsplit_once("::"))
        else {
            return false;
        };
        old_name == new_name
            && old_module == self.new_op.module
            && self.new_op.reexports.iter().any(|r| r == new_name)
    }

    fn variants(&mut self, part: Part, place: &str, old: &TypeSurface, new: &TypeSurface) {
        for before in &old.variants {
            let Some(after) = new.variants.iter().find(|v| v.wire == before.wire) else {
                continue;
            };
            if before.name != after.name {
                self.out
                    .push(
                        part,
                        place,
                        Kind::RustName,
                        Some(before.name.clone()),
                        Some(after.name.clone()),
                        Impact::Breaking,
                        "a new value took its variant name, so the enum variant is renamed",
                    )
                    .detail = Some(format!("valid value `{}`", before.wire));
            }
        }
        if old.catch_all != new.catch_all {
            self.out
                .push(
                    part,
                    place,
                    Kind::RustName,
                    old.catch_all.clone(),
                    new.catch_all.clone(),
                    Impact::Breaking,
                    "the enum's catch-all variant is renamed",
                )
                .detail = Some("catch-all variant".to_owned());
        }
    }

    fn errors(&mut self) {
        let (old, new) = (&self.old_op.error, &self.new_op.error);
        for before in &old.variants {
            let Some(after) = new.variants.iter().find(|v| v.wire == before.wire) else {
                continue;
            };
            if before.name != after.name {
                self.out.push(
                    Part::ErrorCode,
                    &before.wire,
                    Kind::RustName,
                    Some(before.name.clone()),
                    Some(after.name.clone()),
                    Impact::Breaking,
                    "a new code took its variant name, so its error enum variant is renamed",
                );
            }
        }
        if old.catch_all != new.catch_all {
            self.out.push(
                Part::Errors,
                "",
                Kind::RustName,
                Some(old.catch_all.clone()),
                Some(new.catch_all.clone()),
                Impact::Breaking,
                "the error enum's catch-all variant is renamed; code matching it no longer compiles",
            );
        }
    }
}

fn side_of(part: Part) -> Option<Side> {
    match part {
        Part::Parameter | Part::ParameterField => Some(Side::Request),
        Part::Response | Part::ResponseField | Part::ResponseHeader => Some(Side::Response),
        _ => None,
    }
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

/// `[]` per `Vec` and `{}` per map around the named type, as spec paths
/// write array items and map values.
fn place_suffix(shape: &str) -> String {
    let mut suffix = String::new();
    let mut rest = shape;
    loop {
        if let Some(inner) = rest.strip_prefix("Vec<") {
            suffix.push_str("[]");
            rest = inner;
        } else if let Some(inner) = rest.strip_prefix("Map<") {
            suffix.push_str("{}");
            rest = inner;
        } else if let Some(inner) = rest
            .strip_prefix("Option<")
            .or_else(|| rest.strip_prefix("Box<"))
        {
            rest = inner;
        } else {
            return suffix;
        }
    }
}

fn wrapper_reason(old: &TypeText, new: &TypeText) -> &'static str {
    let bare = |t: &TypeText| {
        t.shape
            .replace("Option<", "")
            .replace("Box<", "")
            .replace('>', "")
    };
    if bare(old) == bare(new) && old.refs == new.refs {
        let options = |t: &TypeText| t.shape.matches("Option<").count();
        if options(old) != options(new) {
            "its Rust type gains or loses an `Option`; code building or reading it breaks"
        } else {
            "its Rust type gains or loses a `Box`; code building or matching it breaks"
        }
    } else {
        "its Rust type changes"
    }
}

fn module_of(path: &str) -> &str {
    path.rsplit_once("::").map_or("", |(module, _)| module)
}

/// The type at `path`: the operation's own module or the shared one.
fn lookup<'s>(
    surface: &'s Surface,
    op: &'s OperationSurface,
    path: &str,
) -> Option<&'s TypeSurface> {
    let (module, name) = path.rsplit_once("::")?;
    if module == op.module {
        op.types
            .get(name)
            .or_else(|| (op.response.name == name).then_some(&op.response))
    } else {
        surface.shared.get(name).filter(|t| t.path == path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::model::Change;
    use crate::spec::{Operation, Product, ProductSpec};
    use crate::surface::{self, TypeText};

    const PRODUCT: &str = "product: demo\nversion: '2024-01-01'\nname: Demo\nstyle: rpc\nendpoints:\n  rule: regional\n  default: demo.aliyuncs.com\ncrate:\n  name: demo-client\n  version: 1.0.0\n";

    const OP: &str = "name: Op
summary: Does it.
method: POST
parameters:
  - name: RegionId
    in: query
    schema:
      type: string
      required: true
response:
  schema:
    type: object
    properties:
      Item:
        type: object
        properties:
          Size:
            type: int64
errors:
  - status: 400
    code: Bad
";

    fn surface() -> Surface {
        let product: Product = serde_yaml::from_str(PRODUCT).expect("product");
        let op: Operation = serde_yaml::from_str(OP).expect("operation");
        surface::of_spec(&ProductSpec {
            dir_name: "demo".to_owned(),
            product,
            components: Default::default(),
            operations: vec![op],
        })
    }

    fn changes(old: &Surface, new: &Surface) -> Vec<Change> {
        let mut out = Changes::default();
        compare_operation(
            (old, &old.operations["Op"]),
            (new, &new.operations["Op"]),
            &mut out,
        );
        out.0
    }

    fn op(surface: &mut Surface) -> &mut OperationSurface {
        surface.operations.get_mut("Op").expect("Op")
    }

    #[test]
    fn same_surface_same_api() {
        assert!(changes(&surface(), &surface()).is_empty());
    }

    #[test]
    fn a_renamed_catch_all_breaks() {
        let old = surface();
        let mut new = old.clone();
        op(&mut new).error.catch_all = "Unhandled2".to_owned();
        let found = changes(&old, &new);
        assert_eq!(found.len(), 1, "{found:#?}");
        let change = &found[0];
        assert_eq!(
            (change.part, change.kind, change.impact),
            (Part::Errors, Kind::RustName, Impact::Breaking)
        );
        assert_eq!(
            (change.old.as_deref(), change.new.as_deref()),
            (Some("Unhandled"), Some("Unhandled2"))
        );
    }

    /// The response field `Item` and the nested struct it names.
    fn item(surface: &mut Surface) -> &mut Member {
        let response = &mut op(surface).response;
        response
            .fields
            .iter_mut()
            .find(|f| f.wire == "Item")
            .expect("Item field")
    }

    fn wrapped(ty: &TypeText, wrapper: &str) -> TypeText {
        TypeText {
            text: format!("{wrapper}<{}>", ty.text),
            shape: format!("{wrapper}<{}>", ty.shape),
            refs: ty.refs.clone(),
        }
    }

    #[test]
    fn a_field_becoming_boxed_or_optional_breaks() {
        let old = surface();
        for (wrapper, says) in [("Box", "`Box`"), ("Option", "`Option`")] {
            let mut new = old.clone();
            let field = item(&mut new);
            field.ty = wrapped(&field.ty, wrapper);
            let found = changes(&old, &new);
            assert_eq!(found.len(), 1, "{found:#?}");
            let change = &found[0];
            assert_eq!(
                (
                    change.part,
                    change.path.as_str(),
                    change.kind,
                    change.impact
                ),
                (Part::ResponseField, "Item", Kind::Type, Impact::Breaking)
            );
            assert!(change.reason.contains(says), "{}", change.reason);
        }
    }

    #[test]
    fn a_nested_type_moving_module_is_reported() {
        let old = surface();
        let mut new = old.clone();
        let field = item(&mut new).clone();
        let local = field.ty.refs[0].clone();
        let name = module_and_name(&local).1.to_owned();
        let moved = format!("types::{name}");
        let ty = op(&mut new).types.remove(&name).expect("nested type");
        new.shared.insert(
            name.clone(),
            TypeSurface {
                path: moved.clone(),
                ..ty
            },
        );
        item(&mut new).ty.refs = vec![moved.clone()];
        let found = changes(&old, &new);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(
            (
                found[0].kind,
                found[0].old.as_deref(),
                found[0].new.as_deref()
            ),
            (Kind::Moved, Some(local.as_str()), Some(moved.as_str()))
        );
    }

    #[test]
    fn a_moved_type_the_old_module_reexports_is_compatible() {
        let old = surface();
        let mut new = old.clone();
        let local = item(&mut new).ty.refs[0].clone();
        let name = module_and_name(&local).1.to_owned();
        let moved = format!("types::{name}");
        let ty = op(&mut new).types.remove(&name).expect("nested type");
        new.shared.insert(
            name.clone(),
            TypeSurface {
                path: moved.clone(),
                ..ty
            },
        );
        op(&mut new).reexports.push(name);
        item(&mut new).ty.refs = vec![moved];
        let found = changes(&old, &new);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(
            (found[0].kind, found[0].impact),
            (Kind::Moved, Impact::Compatible)
        );
    }

    fn module_and_name(path: &str) -> (&str, &str) {
        path.rsplit_once("::").unwrap_or(("", path))
    }
}
