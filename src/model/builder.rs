//! Schemas to [`RustType`]s, and the structs, enums and aliases they need,
//! named by the allocator and deduplicated by shape within one module; an
//! operation's builder uses the shapes shared by several operations (see
//! `shared`) from `types` instead of defining them again.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use crate::docs::{self, Links};
use crate::names::reserved::{TEST_SETTER_PREFIX, UNKNOWN};
use crate::names::{convert, NameKind, Namespace, Scope};
use crate::spec::{Components, ResponseHeader, Schema, Type};

use super::lit::lit;
use super::types::{NamedKind, RustType, TypeModule};
use super::{
    AliasModel, EnumModel, FieldModel, SerdeAttrs, StructModel, TypeModel, VariantModel, WholeBody,
};

/// Which derives a nested type needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Side {
    Request,
    Response,
}

/// Which module a builder fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Home {
    /// One operation module: shapes in [`SharedTable`] are used from `types`.
    Operation,
    /// `types`: the components (which may refer to each other in cycles).
    Components,
    /// `types`: nested shapes used by several operations.
    Shared,
}

/// Nested shapes defined once in `types`, by side and field wire name; each
/// shape is kept [`stripped`] of prose, so lookups ignore descriptions.
pub(crate) type SharedTable = BTreeMap<(Side, String), Vec<(Schema, RustType)>>;

/// The spec's example for a use of `schema`: its own, else that of the
/// component it refers to; for a list, its items' (where metadata puts
/// it), else its own.
pub(crate) fn example_text(components: &Components, schema: &Schema) -> Option<String> {
    let resolved = components.resolve(schema).schema;
    let own = schema.example.clone().or_else(|| resolved.example.clone());
    match (resolved.ty, &resolved.items) {
        (Some(Type::Array), Some(items)) => example_text(components, items).or(own),
        _ => own,
    }
}

/// A schema kept whole as `serde_json::Value`: `any` (or no type), and an
/// `object` without properties, which holds whatever keys it is sent.
pub(crate) fn is_free_form(schema: &Schema) -> bool {
    match schema.ty.unwrap_or(Type::Any) {
        Type::Any => true,
        Type::Object => schema.properties.is_empty(),
        _ => false,
    }
}

/// What a component becomes: an object with properties is a struct, a
/// schema with valid values an enum, anything else a type alias (an object
/// without properties is an alias of `Value`, which keeps every key).
pub fn component_kind(schema: &Schema) -> NamedKind {
    if schema.ty == Some(Type::Object) && !is_free_form(schema) {
        NamedKind::Struct
    } else if !schema.enumeration.is_empty() {
        NamedKind::Enum
    } else {
        NamedKind::Alias
    }
}

/// Allocates nested types of one module (an operation, or `types`).
pub(crate) struct TypeBuilder<'a> {
    components: &'a Components,
    component_names: &'a BTreeMap<String, String>,
    links: &'a Links,
    scope: Scope,
    pub types: Vec<TypeModel>,
    /// Field wire name -> (schema, index in `types`) of the named types made
    /// for it, so identical shapes share one type.
    shapes: BTreeMap<String, Vec<(&'a Schema, usize)>>,
    home: Home,
    /// Shared shapes: read by operation builders, filled by the shared one.
    shared: Cow<'a, SharedTable>,
    /// Shared types an operation uses directly, for its re-exports.
    pub shared_used: BTreeSet<String>,
    pub uses_map: bool,
    pub uses_value: bool,
    pub uses_components: bool,
}

impl<'a> TypeBuilder<'a> {
    pub fn new(
        components: &'a Components,
        component_names: &'a BTreeMap<String, String>,
        links: &'a Links,
        scope: Scope,
        home: Home,
        shared: Cow<'a, SharedTable>,
    ) -> Self {
        TypeBuilder {
            components,
            component_names,
            links,
            scope,
            types: Vec::new(),
            shapes: BTreeMap::new(),
            home,
            shared,
            shared_used: BTreeSet::new(),
            uses_map: false,
            uses_value: false,
            uses_components: false,
        }
    }

    /// A component schema under its allocated name.
    pub fn component(&mut self, name: &str, schema: &'a Schema) {
        match component_kind(schema) {
            NamedKind::Struct => {
                let model =
                    self.struct_model(name, schema, Side::Response, docs::component_docs(name));
                self.types.push(TypeModel::Struct(StructModel {
                    serialize: true,
                    deserialize: true,
                    ..model
                }));
            }
            NamedKind::Enum => {
                let model = self.enum_model(name, schema);
                self.types.push(TypeModel::Enum(model));
            }
            NamedKind::Alias => {
                let ty = self.rust_type(name, name, schema, Side::Response);
                self.types.push(TypeModel::Alias(AliasModel {
                    name: name.to_owned(),
                    ty,
                    docs: docs::alias_docs(name, &schema.description, self.links),
                }));
            }
        }
    }

    /// The Rust type for `schema`; nested structs and enums are named from
    /// `hint` (the wire name of the field) and, on a clash, `parent`.
    pub fn rust_type(
        &mut self,
        hint: &str,
        parent: &str,
        schema: &'a Schema,
        side: Side,
    ) -> RustType {
        if let Some(reference) = &schema.reference {
            let (Some(name), Some(target)) = (
                self.component_names.get(reference),
                self.components.schemas.get(reference),
            ) else {
                // Validation rejects unknown names; stay total anyway.
                self.uses_value = true;
                return RustType::Value;
            };
            self.uses_components = true;
            let kind = component_kind(target);
            return match self.home {
                // Components may refer to each other in cycles.
                Home::Components => RustType::boxed(RustType::named(TypeModule::Same, name, kind)),
                // No component refers to a nested shape, so no cycle.
                Home::Shared => RustType::named(TypeModule::Same, name, kind),
                Home::Operation => RustType::named(TypeModule::Shared, name, kind),
            };
        }
        match schema.ty.unwrap_or(Type::Any) {
            Type::String | Type::Int32 | Type::Int64 if !schema.enumeration.is_empty() => self
                .named(
                    hint,
                    parent,
                    schema,
                    side,
                    NamedKind::Enum,
                    |builder, name| TypeModel::Enum(builder.enum_model(name, schema)),
                ),
            Type::String | Type::Binary => RustType::String,
            Type::Int32 => RustType::I32,
            Type::Int64 => RustType::I64,
            Type::Float => RustType::F32,
            Type::Double => RustType::F64,
            Type::Boolean => RustType::Bool,
            Type::Any => {
                self.uses_value = true;
                RustType::Value
            }
            Type::Array => {
                let item = match &schema.items {
                    Some(items) => self.rust_type(hint, parent, items, side),
                    None => RustType::String,
                };
                // A Vec is already indirect.
                RustType::vec(item.unboxed())
            }
            Type::Map => {
                self.uses_map = true;
                let value = match &schema.values {
                    Some(values) => self.rust_type(hint, parent, values, side),
                    None => RustType::String,
                };
                RustType::map(value.unboxed())
            }
            Type::Object if is_free_form(schema) => {
                self.uses_value = true;
                RustType::Value
            }
            Type::Object => self.named(
                hint,
                parent,
                schema,
                side,
                NamedKind::Struct,
                |builder, name| {
                    let docs = docs::nested_struct_docs(hint);
                    TypeModel::Struct(builder.struct_model(name, schema, side, docs))
                },
            ),
        }
    }

    /// Allocate (or reuse, for an identical shape) a named nested type.
    fn named(
        &mut self,
        hint: &str,
        parent: &str,
        schema: &'a Schema,
        side: Side,
        kind: NamedKind,
        make: impl FnOnce(&mut Self, &str) -> TypeModel,
    ) -> RustType {
        let key = (shared_side(side, kind), hint.to_owned());
        let stripped_schema = (self.home != Home::Components).then(|| stripped(schema));
        if let Some(stripped_schema) = &stripped_schema {
            let found = self.shared.get(&key).and_then(|seen| {
                seen.iter()
                    .find(|(other, _)| same_shape(stripped_schema, other))
                    .map(|(_, ty)| ty.clone())
            });
            if let Some(mut ty) = found {
                if let (Home::Operation, RustType::Named(named)) = (self.home, &mut ty) {
                    // Stored as seen from `types` itself.
                    named.module = TypeModule::Shared;
                    self.uses_components = true;
                    self.shared_used.insert(named.name.clone());
                }
                return ty;
            }
        }
        // `types` dedups through the table above only, so every shape it
        // holds is found by the operations.
        let same_shape = self
            .shapes
            .get(hint)
            .filter(|_| self.home != Home::Shared)
            .and_then(|seen| seen.iter().find(|(other, _)| same_shape(schema, other)))
            .map(|&(_, index)| index);
        if let Some(index) = same_shape {
            self.mark_side(index, side);
            return RustType::named(TypeModule::Same, self.types[index].name(), kind);
        }
        let base = convert(NameKind::Type, hint);
        let name = if self.scope.is_taken(&base) {
            self.scope.claim(format!(
                "{}{base}",
                parent
                    .trim_end_matches("Request")
                    .trim_end_matches("Response")
            ))
        } else {
            self.scope.claim(base)
        };
        // Reserve the slot first so recursive shapes see the name.
        let index = self.types.len();
        self.types.push(TypeModel::Struct(StructModel {
            name: name.clone(),
            default: true,
            docs: Vec::new(),
            fields: Vec::new(),
            serialize: false,
            deserialize: false,
            whole_body: None,
        }));
        self.shapes
            .entry(hint.to_owned())
            .or_default()
            .push((schema, index));
        if let (Home::Shared, Some(stripped_schema)) = (self.home, stripped_schema) {
            // Registered before `make`, as the slot above, for nested uses.
            let ty = RustType::named(TypeModule::Same, &name, kind);
            self.shared
                .to_mut()
                .entry(key)
                .or_default()
                .push((stripped_schema, ty));
        }
        let model = make(self, &name);
        self.types[index] = model;
        self.mark_side(index, side);
        RustType::named(TypeModule::Same, &name, kind)
    }

    /// Build a shape used by several operations (into `types`, with the
    /// prose they agree on); nested types of it go to `types` too.
    pub fn shared_shape(&mut self, hint: &str, parent: &str, schema: &'a Schema, side: Side) {
        self.rust_type(hint, parent, schema, side);
    }

    /// Switch a components builder to building shared nested shapes, in the
    /// same name scope.
    pub fn into_shared(mut self) -> Self {
        self.home = Home::Shared;
        self
    }

    /// Whether `name` is taken in this builder's module.
    pub fn is_taken(&self, name: &str) -> bool {
        self.scope.is_taken(name)
    }

    /// The table of shapes built in `types`, for the operation builders.
    pub fn take_shared(&mut self) -> SharedTable {
        std::mem::take(&mut self.shared).into_owned()
    }

    /// Give the struct at `index` the derives `side` needs, and every struct
    /// of this module nested in it too: a struct deriving `Deserialize`
    /// needs it on its fields' types (the ice SubmitTranscodeJob failure).
    fn mark_side(&mut self, index: usize, side: Side) {
        let mut pending = vec![index];
        while let Some(index) = pending.pop() {
            let TypeModel::Struct(model) = &mut self.types[index] else {
                continue;
            };
            let flag = match side {
                Side::Request => &mut model.serialize,
                Side::Response => &mut model.deserialize,
            };
            if *flag {
                continue;
            }
            *flag = true;
            let nested: Vec<String> = model
                .fields
                .iter()
                .filter_map(|f| f.ty.innermost_named())
                .filter(|n| n.module == TypeModule::Same)
                .map(|n| n.name.clone())
                .collect();
            for name in nested {
                if let Some(i) = self.types.iter().position(|t| t.name() == name) {
                    pending.push(i);
                }
            }
        }
    }

    pub fn struct_model(
        &mut self,
        name: &str,
        schema: &'a Schema,
        side: Side,
        docs: Vec<String>,
    ) -> StructModel {
        let mut field_scope = Scope::for_namespace(Namespace::StructFields);
        let mut setter_scope = Scope::new();
        let mut fields = Vec::with_capacity(schema.properties.len());
        for (wire, property) in &schema.properties {
            let field = field_scope.allocate(NameKind::Value, wire);
            let test_setter = setter_scope.claim(format!("{TEST_SETTER_PREFIX}{field}"));
            let inner = self.rust_type(wire, name, property, side);
            // Absent decodes as empty, so empty encodes as absent: what a
            // response left out stays out when it is encoded again.
            let (ty, serde) = if inner.is_collection() {
                (inner, SerdeAttrs::DefaultSkipEmpty)
            } else if property.required && side == Side::Request {
                (inner, SerdeAttrs::None)
            } else {
                (RustType::option(inner), SerdeAttrs::DefaultSkipEmpty)
            };
            fields.push(FieldModel {
                name: field,
                test_setter,
                wire_lit: lit(wire),
                ty,
                serde,
                docs: docs::schema_docs(property, self.links, None),
                example: example_text(self.components, property),
                from_header: false,
            });
        }
        let mut docs = docs;
        if self.home != Home::Components {
            docs.extend(docs::struct_description(&schema.description, self.links));
        }
        let default = fields.iter().all(|f| f.ty.has_default());
        StructModel {
            name: name.to_owned(),
            default,
            docs,
            fields,
            serialize: side == Side::Request,
            deserialize: side == Side::Response,
            whole_body: None,
        }
    }

    /// A response whose success body is an array, text or bytes: one field,
    /// `items`, `text` or `body`, holding the whole body.
    pub fn whole_body_model(
        &mut self,
        name: &str,
        schema: &'a Schema,
        body: WholeBody,
        docs: Vec<String>,
    ) -> StructModel {
        let wire = match body {
            WholeBody::Json => "items",
            WholeBody::Text => "text",
            WholeBody::Bytes => "body",
        };
        let field = Scope::for_namespace(Namespace::StructFields).allocate(NameKind::Value, wire);
        let test_setter = format!("{TEST_SETTER_PREFIX}{field}");
        let ty = if body.is_bytes() {
            RustType::Bytes
        } else {
            // Items are named after the response (`DescribeClustersItem`), not `Items`.
            let hint = format!("{}Item", name.strip_suffix("Response").unwrap_or(name));
            self.rust_type(&hint, name, schema, Side::Response)
        };
        let mut docs = docs;
        docs.extend(docs::struct_description(&schema.description, self.links));
        StructModel {
            name: name.to_owned(),
            default: ty.has_default(),
            docs,
            fields: vec![FieldModel {
                name: field,
                test_setter,
                wire_lit: lit(wire),
                ty,
                serde: SerdeAttrs::None,
                docs: docs::whole_body_docs(body),
                example: None,
                from_header: false,
            }],
            serialize: false,
            deserialize: true,
            whole_body: Some(body),
        }
    }

    /// Appends to `model` (a response) a field per response header, named in
    /// the same scope as the body's fields, which keep their names.
    pub fn add_header_fields(&mut self, model: &mut StructModel, headers: &'a [ResponseHeader]) {
        let mut field_scope = Scope::for_namespace(Namespace::StructFields);
        let mut setter_scope = Scope::new();
        for field in &model.fields {
            field_scope.claim(field.name.clone());
            setter_scope.claim(field.test_setter.clone());
        }
        for header in headers {
            // Header names ignore case, so the field's must not depend on it:
            // `ETag` and `etag` are both `etag` (not `e_tag`).
            let key = header.key();
            let name = field_scope.allocate(NameKind::Value, &key);
            let test_setter = setter_scope.claim(format!("{TEST_SETTER_PREFIX}{name}"));
            let inner = self.rust_type(&header.name, &model.name, &header.schema, Side::Response);
            model.fields.push(FieldModel {
                name,
                test_setter,
                wire_lit: lit(&key),
                ty: RustType::option(inner),
                serde: SerdeAttrs::DefaultSkipEmpty,
                docs: docs::response_header_docs(&header.schema, &header.name, self.links),
                example: None,
                from_header: true,
            });
        }
    }

    fn enum_model(&mut self, name: &str, schema: &Schema) -> EnumModel {
        let integer = schema.ty.is_some_and(Type::is_integer);
        let mut variant_scope = Scope::for_namespace(Namespace::EnumVariants);
        let variants = schema
            .enumeration
            .iter()
            .map(|value| VariantModel {
                name: variant_scope.allocate(NameKind::Variant, &value.value),
                value_lit: if integer {
                    crate::validate::parse_integer(schema.ty.unwrap_or(Type::Int64), &value.value)
                        .unwrap_or_default()
                        .to_string()
                } else {
                    lit(&value.value)
                },
                wire: value.value.clone(),
                docs: docs::variant_docs(value, self.links),
            })
            .collect();
        EnumModel {
            name: name.to_owned(),
            docs: docs::enum_docs(name, &schema.description, self.links),
            integer,
            int_ty: if schema.ty == Some(Type::Int32) {
                RustType::I32
            } else {
                RustType::I64
            },
            variants,
            unknown: UNKNOWN.to_owned(),
        }
    }
}

/// The side a shared shape is keyed by: enums are the same type on both
/// sides (their code does not depend on it), structs are not.
pub(crate) fn shared_side(side: Side, kind: NamedKind) -> Side {
    match kind {
        NamedKind::Enum => Side::Request,
        NamedKind::Struct | NamedKind::Alias => side,
    }
}

/// `schema` with only what decides the generated type: types, `$ref`s,
/// required flags, valid values and fields (wire names, order, nested
/// shapes). Descriptions, examples and other prose differ between
/// operations without changing the type, so shared shapes ignore them.
/// A schema's own `required` belongs to its use (the parameter or field), so
/// only its properties' flags count.
pub(crate) fn stripped(schema: &Schema) -> Schema {
    Schema {
        ty: schema.ty,
        reference: schema.reference.clone(),
        enumeration: schema
            .enumeration
            .iter()
            .map(|v| crate::spec::EnumValue {
                value: v.value.clone(),
                description: String::new(),
            })
            .collect(),
        items: schema.items.as_deref().map(|s| Box::new(stripped(s))),
        properties: schema
            .properties
            .iter()
            .map(|(k, v)| {
                let field = Schema {
                    required: v.required,
                    ..stripped(v)
                };
                (k.clone(), field)
            })
            .collect(),
        values: schema.values.as_deref().map(|s| Box::new(stripped(s))),
        ..Schema::default()
    }
}

/// Same schema with properties in the same order (two structs with the
/// same fields in another order print differently, so they stay apart).
pub(crate) fn same_shape(a: &Schema, b: &Schema) -> bool {
    fn same_order(a: &Schema, b: &Schema) -> bool {
        a.properties.keys().eq(b.properties.keys())
            && a.properties
                .values()
                .zip(b.properties.values())
                .all(|(a, b)| same_order(a, b))
            && match (&a.items, &b.items) {
                (Some(a), Some(b)) => same_order(a, b),
                _ => true,
            }
            && match (&a.values, &b.values) {
                (Some(a), Some(b)) => same_order(a, b),
                _ => true,
            }
    }
    a == b && same_order(a, b)
}
