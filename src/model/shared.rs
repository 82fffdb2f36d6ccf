//! Nested shapes used by two or more operations, found before any operation
//! is built, so each is generated once in `types` and the operations use
//! (and re-export) it: a value from one call can be passed to the next.
//!
//! - Identity: same side (request or response), same field wire name (the
//!   type is named from it), and the same shape once [`stripped`] of prose:
//!   types, `$ref`s, required flags, valid values, fields in order, nested
//!   shapes recursively. Prose (descriptions, examples, defaults, bounds)
//!   may differ: the shared type keeps a piece of prose (of the type, a
//!   field or a valid value) only where every operation using the shape
//!   agrees, so no operation's wording is shown for another.
//! - Structs are never shared across sides: a request struct keeps required
//!   fields required (and derives `Serialize`), a response struct makes
//!   every field optional and decodes through the runtime's field table.
//!   Enums are one type on both sides (their code is the same).
//! - Names are allocated in the `types` scope (after the components), in
//!   the order of the type name, then the first operation's name, then
//!   where the first operation uses it; a clash is qualified with that
//!   operation's name (`ListLiveMessageGroupsGroupList`), then numbered.

use std::collections::{BTreeMap, BTreeSet};

use crate::names::{convert, NameKind};
use crate::spec::{Operation, Schema, Type};

use super::builder::{same_shape, shared_side, stripped, Side};
use super::types::NamedKind;

/// A shape more than one operation uses, with the prose they agree on.
#[derive(Debug)]
pub(super) struct SharedShape<'a> {
    pub side: Side,
    pub hint: &'a str,
    pub schema: Schema,
    /// Index (in name order) of the first operation using it.
    pub first_op: usize,
}

struct Seen<'a> {
    side: Side,
    hint: &'a str,
    schema: Schema,
    stripped: Schema,
    ops: BTreeSet<usize>,
}

/// The shapes used by two or more of `operations` (which are in name
/// order), in allocation order.
pub(super) fn find(operations: &[Operation]) -> Vec<SharedShape<'_>> {
    let mut seen: Vec<Seen> = Vec::new();
    let mut index: BTreeMap<(Side, &str), Vec<usize>> = BTreeMap::new();
    for (op_index, op) in operations.iter().enumerate() {
        let mut visit = |side, hint, schema| {
            walk(side, hint, schema, op_index, &mut seen, &mut index);
        };
        for param in &op.parameters {
            visit(Side::Request, &param.name, &param.schema);
        }
        if let Some(response) = &op.response {
            for (wire, property) in &response.schema.properties {
                visit(Side::Response, wire, property);
            }
        }
    }
    let mut shared: Vec<(String, SharedShape)> = seen
        .into_iter()
        .filter(|s| s.ops.len() >= 2)
        .filter_map(|s| {
            let first_op = *s.ops.first()?;
            Some((
                convert(NameKind::Type, s.hint),
                SharedShape {
                    side: s.side,
                    hint: s.hint,
                    schema: s.schema,
                    first_op,
                },
            ))
        })
        .collect();
    // Stable: ties keep the order of first use.
    shared.sort_by(|(a, x), (b, y)| a.cmp(b).then(x.first_op.cmp(&y.first_op)));
    shared.into_iter().map(|(_, shape)| shape).collect()
}

/// Record every named shape under `schema`, as the builder would name them.
fn walk<'a>(
    side: Side,
    hint: &'a str,
    schema: &'a Schema,
    op: usize,
    seen: &mut Vec<Seen<'a>>,
    index: &mut BTreeMap<(Side, &'a str), Vec<usize>>,
) {
    if schema.reference.is_some() {
        return;
    }
    match schema.ty.unwrap_or(Type::Any) {
        Type::String | Type::Int32 | Type::Int64 if !schema.enumeration.is_empty() => {
            let side = shared_side(side, NamedKind::Enum);
            record(side, hint, schema, op, seen, index);
        }
        Type::Array => {
            if let Some(items) = &schema.items {
                walk(side, hint, items, op, seen, index);
            }
        }
        Type::Map => {
            if let Some(values) = &schema.values {
                walk(side, hint, values, op, seen, index);
            }
        }
        Type::Object if !schema.properties.is_empty() => {
            record(side, hint, schema, op, seen, index);
            for (wire, property) in &schema.properties {
                walk(side, wire, property, op, seen, index);
            }
        }
        _ => {}
    }
}

fn record<'a>(
    side: Side,
    hint: &'a str,
    schema: &'a Schema,
    op: usize,
    seen: &mut Vec<Seen<'a>>,
    index: &mut BTreeMap<(Side, &'a str), Vec<usize>>,
) {
    let shape = stripped(schema);
    let same = index.entry((side, hint)).or_default();
    if let Some(&i) = same
        .iter()
        .find(|&&i| same_shape(&shape, &seen[i].stripped))
    {
        seen[i].ops.insert(op);
        agree(&mut seen[i].schema, schema);
        return;
    }
    same.push(seen.len());
    seen.push(Seen {
        side,
        hint,
        schema: schema.clone(),
        stripped: shape,
        ops: BTreeSet::from([op]),
    });
}

/// Keep in `into` only the prose `other` (a use of the same shape) agrees
/// with.
fn agree(into: &mut Schema, other: &Schema) {
    fn same<T: PartialEq>(into: &mut Option<T>, other: &Option<T>) {
        if into != other {
            *into = None;
        }
    }
    if into.description != other.description {
        into.description.clear();
    }
    same(&mut into.example, &other.example);
    same(&mut into.default, &other.default);
    same(&mut into.minimum, &other.minimum);
    same(&mut into.maximum, &other.maximum);
    same(&mut into.min_length, &other.min_length);
    same(&mut into.max_length, &other.max_length);
    same(&mut into.min_items, &other.min_items);
    same(&mut into.max_items, &other.max_items);
    same(&mut into.pattern, &other.pattern);
    into.deprecated &= other.deprecated;
    for (value, theirs) in into.enumeration.iter_mut().zip(&other.enumeration) {
        if value.description != theirs.description {
            value.description.clear();
        }
    }
    if let (Some(into), Some(other)) = (&mut into.items, &other.items) {
        agree(into, other);
    }
    if let (Some(into), Some(other)) = (&mut into.values, &other.values) {
        agree(into, other);
    }
    for (into, other) in into.properties.values_mut().zip(other.properties.values()) {
        agree(into, other);
    }
}
