//! Every name the generated code gives itself, by namespace: the one table
//! that the templates print these names from and the allocator keeps spec
//! names clear of, so the two cannot drift apart.
//!
//! Templates reach it as `r::NAME` (see `crate::render`). A unit test below
//! renders a crate whose spec names are all marked and checks, with syn,
//! that every unmarked name in each namespace is listed here.

// Modules the templates declare or import.
pub const MACROS_MOD: &str = "macros";
pub const CLIENT_MOD: &str = "client";
pub const OPERATIONS_MOD: &str = "operations";
pub const TYPES_MOD: &str = "types";
pub const TESTING_MOD: &str = "testing";
/// The sample test module inside an operation module.
pub const TESTS_MOD: &str = "tests";

// Items of the crate root (besides modules and runtime re-exports).
pub const CLIENT: &str = "Client";
pub const SERVICE: &str = "SERVICE";
/// `acsgen_runtime::ProvideServiceError`: the error enums' `code()`, `message()`, ...
pub const PROVIDE_SERVICE_ERROR: &str = "ProvideServiceError";

// Types of `types.rs` that operations share whatever the spec says, claimed
// before the spec's components.
/// The response of every operation whose response is only a request ID.
pub const REQUEST_ID_RESPONSE: &str = "RequestIdResponse";
/// The error enum of every operation that documents no error code.
pub const UNDOCUMENTED_ERROR: &str = "UndocumentedError";

// Helper types imported from the runtime, std and serde_json.
pub const BOUND: &str = "Bound";
pub const CALL_OPTIONS: &str = "CallOptions";
pub const CONFIG: &str = "Config";
pub const CONFIG_ERROR: &str = "ConfigError";
pub const ENDPOINT_RULE: &str = "EndpointRule";
pub const LOCATION: &str = "Location";
pub const METHOD: &str = "Method";
pub const OPERATION: &str = "Operation";
pub const OPERATION_INFO: &str = "OperationInfo";
pub const PARAMS: &str = "Params";
pub const SCHEME: &str = "Scheme";
pub const SDK_ERROR: &str = "SdkError";
pub const SERVICE_ERROR: &str = "ServiceError";
pub const SERVICE_INFO: &str = "ServiceInfo";
pub const STYLE: &str = "Style";
/// `acsgen_runtime::ResponseFuture`, what `send` returns.
pub const RESPONSE_FUTURE: &str = "ResponseFuture";
pub const BTREE_MAP: &str = "BTreeMap";
pub const VALUE: &str = "Value";

// Members of a request type (methods and fields share one scope there,
// because each optional parameter is both a field and its setter).
pub const NEW: &str = "new";
pub const BIND: &str = "bind";
pub const CALL_OPTIONS_FN: &str = "call_options";
pub const SEND: &str = "send";
/// Of paginated requests (spec `pagination`): the page stream.
pub const INTO_PAGINATOR: &str = "into_paginator";
/// `Operation::params`.
pub const PARAMS_FN: &str = "params";
/// `Operation::response`, generated when a response reads headers, text or bytes.
pub const RESPONSE_FN: &str = "response";
/// `Debug::fmt` of the unbound request.
pub const FMT_FN: &str = "fmt";
/// `Default::default`, for requests without required parameters.
pub const DEFAULT_FN: &str = "default";
/// The field holding the client a request is bound to.
pub const BOUND_FIELD: &str = "bound";

// Members of the client (`NEW` and `SEND` too).
pub const FROM_ENV: &str = "from_env";
pub const RUNTIME: &str = "runtime";
pub const SEND_WITH: &str = "send_with";
/// `Client::call_raw` / `call_raw_with`: operations the crate does not model.
pub const CALL_RAW: &str = "call_raw";
pub const CALL_RAW_WITH: &str = "call_raw_with";
pub const INNER_FIELD: &str = "inner";

/// Prefix of a response field's test-value setter (`with_<field>`, feature
/// `test-util`); the full name is claimed per struct (`model::builder`).
pub const TEST_SETTER_PREFIX: &str = "with_";

// Generic type parameters.
/// Of the request type: `()` unbound, `Bound` once bound to a client.
pub const REQUEST_GENERIC: &str = "C";
/// Of hand-written `Deserialize` impls.
pub const DESERIALIZER_GENERIC: &str = "D";
pub const SERIALIZER_GENERIC: &str = "S";
/// Of `Client::send`.
pub const OPERATION_GENERIC: &str = "O";

// Catch-all variants, claimed before the spec's values so that they keep
// their name whatever the spec adds.
/// Of valid-value enums.
pub const UNKNOWN: &str = "Unknown";
/// Of error enums.
pub const UNHANDLED: &str = "Unhandled";

/// Runtime types `lib.rs` re-exports, in the order it prints them.
pub const ROOT_REEXPORTS: &[&str] = &[
    CALL_OPTIONS,
    CONFIG,
    CONFIG_ERROR,
    PROVIDE_SERVICE_ERROR,
    SDK_ERROR,
    SERVICE_ERROR,
];

/// The crate root: modules, the client and its service description (and
/// [`ROOT_REEXPORTS`]).
const ROOT: &[&str] = &[
    MACROS_MOD,
    CLIENT_MOD,
    OPERATIONS_MOD,
    TYPES_MOD,
    TESTING_MOD,
    CLIENT,
    SERVICE,
];

/// `operations/mod.rs` declares only operation modules; these names are
/// kept out because an operation module of that name would repeat its
/// parent (`operations::operations`, `tests::tests`: clippy's
/// `module_inception`) or read as one of the crate's own modules.
const OPERATION_MODULES: &[&str] = &[
    MACROS_MOD,
    CLIENT_MOD,
    OPERATIONS_MOD,
    TYPES_MOD,
    TESTING_MOD,
    TESTS_MOD,
];

/// An operation module's own imports and modules.
const OPERATION_MODULE: &[&str] = &[
    RESPONSE_FUTURE,
    BTREE_MAP,
    BOUND,
    CALL_OPTIONS,
    LOCATION,
    METHOD,
    OPERATION,
    OPERATION_INFO,
    PARAMS,
    SERVICE_ERROR,
    STYLE,
    VALUE,
    TYPES_MOD,
    TESTS_MOD,
];

/// `types.rs`'s imports.
const TYPES_MODULE: &[&str] = &[
    BTREE_MAP,
    VALUE,
    SERVICE_ERROR,
    REQUEST_ID_RESPONSE,
    UNDOCUMENTED_ERROR,
];

/// Generic parameters of the items in an operation module and the client:
/// a nested type of the same name would be shadowed by them.
const GENERICS: &[&str] = &[
    REQUEST_GENERIC,
    DESERIALIZER_GENERIC,
    SERIALIZER_GENERIC,
    OPERATION_GENERIC,
];

const REQUEST_MEMBERS: &[&str] = &[
    NEW,
    BIND,
    CALL_OPTIONS_FN,
    SEND,
    INTO_PAGINATOR,
    PARAMS_FN,
    RESPONSE_FN,
    FMT_FN,
    DEFAULT_FN,
    BOUND_FIELD,
];

/// Setter names (`fn x(self, value) -> Self`) that clippy's
/// `should_implement_trait` takes for an operator trait's method.
const REQUEST_LINTED: &[&str] = &[
    "add", "sub", "mul", "div", "rem", "shl", "shr", "bitand", "bitor", "bitxor",
];

const CLIENT_MEMBERS: &[&str] = &[
    NEW,
    FROM_ENV,
    RUNTIME,
    SEND,
    SEND_WITH,
    CALL_RAW,
    CALL_RAW_WITH,
    INNER_FIELD,
];

/// Client method names (`fn x(&self, ..)`) that would be `Clone::clone`
/// (derived) or that clippy's `should_implement_trait` takes for
/// `Clone::clone` and `Ord::cmp`.
const CLIENT_LINTED: &[&str] = &["clone", "cmp"];

/// A namespace of the generated crate that spec names are allocated into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Namespace {
    /// Operation modules, in `operations/mod.rs`.
    OperationModules,
    /// An operation's request, response and error types: they live in its
    /// module and are re-exported at the crate root, so both count.
    OperationTypes,
    /// Nested types of one operation module.
    OperationModule,
    /// Shared types in `types.rs`.
    TypesModule,
    /// Setters and fields of a request type.
    RequestMembers,
    /// Methods of the client.
    ClientMembers,
    /// Variants of an error enum.
    ErrorVariants,
    /// Variants of a valid-value enum.
    EnumVariants,
    /// Fields of a response or nested struct, which has no other members.
    StructFields,
}

impl Namespace {
    pub const ALL: [Namespace; 9] = [
        Namespace::OperationModules,
        Namespace::OperationTypes,
        Namespace::OperationModule,
        Namespace::TypesModule,
        Namespace::RequestMembers,
        Namespace::ClientMembers,
        Namespace::ErrorVariants,
        Namespace::EnumVariants,
        Namespace::StructFields,
    ];

    /// Names generated code takes in this namespace before any spec name.
    pub fn reserved(self) -> Vec<&'static str> {
        let lists: &[&[&'static str]] = match self {
            Namespace::OperationModules => &[OPERATION_MODULES],
            Namespace::OperationTypes => &[ROOT, ROOT_REEXPORTS, OPERATION_MODULE],
            Namespace::OperationModule => &[OPERATION_MODULE, GENERICS],
            Namespace::TypesModule => &[TYPES_MODULE],
            Namespace::RequestMembers => &[REQUEST_MEMBERS, REQUEST_LINTED],
            Namespace::ClientMembers => &[CLIENT_MEMBERS, CLIENT_LINTED],
            Namespace::ErrorVariants => &[&[UNHANDLED]],
            Namespace::EnumVariants => &[&[UNKNOWN]],
            Namespace::StructFields => &[],
        };
        let mut names: Vec<&'static str> = lists.iter().flat_map(|l| l.iter().copied()).collect();
        names.sort_unstable();
        names.dedup();
        names
    }
}

/// Every name in the table, for tests that feed them back as spec names.
pub fn all() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Namespace::ALL
        .iter()
        .flat_map(|ns| ns.reserved())
        .chain(ROOT.iter().copied())
        .chain(ROOT_REEXPORTS.iter().copied())
        .chain([ENDPOINT_RULE, SCHEME, SERVICE_INFO])
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    //! Renders a crate whose spec names all contain `zq` and reads it back
    //! with syn: in every namespace, each name without `zq` came from a
    //! template, so it must be in the table; and each table entry must be
    //! emitted somewhere, so the table holds no stale names.

    use std::collections::{BTreeMap, BTreeSet};

    use super::*;

    const PRODUCT: &str = "product: zq\nversion: 2020-01-01\nname: Zq\nstyle: rpc\nendpoints:\n  rule: regional\n  default: zq.aliyuncs.com\ncrate:\n  name: zq\n  version: 0.1.0\n";

    const COMPONENTS: &str = r#"schemas:
  ZqShared:
    type: object
    properties:
      ZqMap: {type: map, values: {type: string}}
      ZqAny: {type: any}
      ZqNext: {$ref: ZqShared}
  ZqKind:
    type: string
    enum: [{value: ZqA}]
"#;

    const FULL: &str = r#"name: ZqFull
summary: Zq.
method: POST
deprecated: {note: Zq.}
parameters:
- name: ZqRequired
  in: query
  schema: {type: string, required: true}
- name: ZqEnum
  in: query
  schema:
    type: string
    enum: [{value: ZqA}, {value: ZqB}]
- name: ZqLevel
  in: query
  schema:
    type: int32
    enum: [{value: '1'}]
- name: ZqList
  in: query
  style: repeatList
  schema:
    type: array
    items:
      type: object
      properties:
        ZqKey: {type: string}
- name: ZqMap
  in: body
  style: json
  schema: {type: map, values: {type: string}}
- name: ZqAny
  in: query
  schema: {type: any}
- name: ZqShared
  in: query
  style: json
  schema: {$ref: ZqShared}
response:
  schema:
    type: object
    properties:
      ZqId: {type: string}
      ZqNested:
        type: object
        properties:
          ZqInner: {type: int64}
      ZqMode:
        type: string
        enum: [{value: ZqOn}]
  example: '{"ZqId":"zq"}'
  headers:
  - name: X-Zq-Tag
    schema: {type: string}
errors:
- {status: 400, code: ZqCode, message: Zq.}
"#;

    const BARE: &str = "name: ZqBare\nsummary: Zq.\nmethod: GET\n";

    const PAGED: &str = r#"name: ZqPaged
summary: Zq.
method: GET
parameters:
- name: ZqToken
  in: query
  schema: {type: string}
response:
  schema:
    type: object
    properties:
      ZqNext: {type: string}
      ZqItems: {type: array, items: {type: string}}
pagination: {input_token: ZqToken, output_token: ZqNext, items: ZqItems}
"#;

    fn generated() -> BTreeMap<String, syn::File> {
        let many: String = (0..8)
            .map(|i| {
                format!(
                    "- name: ZqArg{i}\n  in: query\n  schema: {{type: string, required: true}}\n"
                )
            })
            .collect();
        let files = crate::load::ProductFiles {
            dir_name: "zq".into(),
            dir: "zq".into(),
            product: PRODUCT.into(),
            components: Some(COMPONENTS.into()),
            operations: vec![
                ("ZqBare.yaml".into(), BARE.into()),
                ("ZqFull.yaml".into(), FULL.into()),
                ("ZqPaged.yaml".into(), PAGED.into()),
                (
                    "ZqMany.yaml".into(),
                    format!("name: ZqMany\nsummary: Zq.\nmethod: GET\nparameters:\n{many}"),
                ),
            ],
        };
        let generated =
            crate::generate::generate_product_with(&files, &crate::model::Options::default())
                .unwrap_or_else(|error| panic!("the test spec generates: {error}"));
        generated
            .files
            .iter()
            .filter(|(path, _)| path.ends_with(".rs"))
            .map(|(path, text)| {
                let file =
                    syn::parse_file(text).unwrap_or_else(|error| panic!("{path} parses: {error}"));
                (path.clone(), file)
            })
            .collect()
    }

    /// `V1` is the integer value `1`, which cannot carry the mark.
    fn from_spec(name: &str) -> bool {
        name.to_ascii_lowercase().contains("zq") || name == "V1"
    }

    /// Names found, by the table list they must come from.
    #[derive(Default)]
    struct Seen(BTreeMap<&'static str, BTreeSet<String>>);

    impl Seen {
        fn add(&mut self, list: &'static str, ident: &syn::Ident) {
            let name = ident.to_string();
            if !from_spec(&name) {
                self.0.entry(list).or_default().insert(name);
            }
        }

        fn generics(&mut self, generics: &syn::Generics) {
            for param in generics.type_params() {
                self.add("GENERICS", &param.ident);
            }
        }
    }

    fn use_leaves(tree: &syn::UseTree, out: &mut Vec<syn::Ident>) {
        match tree {
            syn::UseTree::Path(path) => use_leaves(&path.tree, out),
            syn::UseTree::Name(name) => out.push(name.ident.clone()),
            syn::UseTree::Rename(rename) => out.push(rename.rename.clone()),
            syn::UseTree::Group(group) => group.items.iter().for_each(|t| use_leaves(t, out)),
            syn::UseTree::Glob(_) => {}
        }
    }

    fn type_name(ty: &syn::Type) -> Option<String> {
        match ty {
            syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        }
    }

    /// Module-level names of `items` into `list`; members, generics and
    /// variants into theirs.
    fn scan(items: &[syn::Item], list: &'static str, seen: &mut Seen) {
        for item in items {
            let declared = match item {
                syn::Item::Use(item) => {
                    let mut leaves = Vec::new();
                    use_leaves(&item.tree, &mut leaves);
                    leaves
                }
                syn::Item::Mod(item) => vec![item.ident.clone()],
                syn::Item::Static(item) => vec![item.ident.clone()],
                syn::Item::Const(item) => vec![item.ident.clone()],
                syn::Item::Type(item) => vec![item.ident.clone()],
                syn::Item::Fn(item) => vec![item.sig.ident.clone()],
                syn::Item::Struct(item) => {
                    seen.generics(&item.generics);
                    let members = match item.ident.to_string() {
                        name if name == CLIENT => Some("CLIENT_MEMBERS"),
                        name if from_spec(&name) && name.ends_with("Request") => {
                            Some("REQUEST_MEMBERS")
                        }
                        _ => None,
                    };
                    if let Some(members) = members {
                        for field in &item.fields {
                            if let Some(ident) = &field.ident {
                                seen.add(members, ident);
                            }
                        }
                    }
                    vec![item.ident.clone()]
                }
                syn::Item::Enum(item) => {
                    seen.generics(&item.generics);
                    for variant in &item.variants {
                        seen.add("VARIANTS", &variant.ident);
                    }
                    vec![item.ident.clone()]
                }
                // `Paginate`'s functions (`items`, `next_token`, `page`, ...)
                // are trait items: a setter of the same name is found first
                // by method calls, and the trait is never imported by the
                // generated code, so they need no place in the table (and
                // taking them would rename the common `NextToken` setter).
                syn::Item::Impl(item)
                    if item.trait_.as_ref().is_some_and(|(_, path, _)| {
                        path.segments.last().is_some_and(|s| s.ident == "Paginate")
                    }) =>
                {
                    seen.generics(&item.generics);
                    Vec::new()
                }
                syn::Item::Impl(item) => {
                    seen.generics(&item.generics);
                    let members = match type_name(&item.self_ty) {
                        Some(name) if name == CLIENT => Some("CLIENT_MEMBERS"),
                        Some(name) if from_spec(&name) && name.ends_with("Request") => {
                            Some("REQUEST_MEMBERS")
                        }
                        _ => None,
                    };
                    for member in &item.items {
                        if let syn::ImplItem::Fn(function) = member {
                            seen.generics(&function.sig.generics);
                            if let Some(members) = members {
                                seen.add(members, &function.sig.ident);
                            }
                        }
                    }
                    Vec::new()
                }
                _ => Vec::new(),
            };
            for ident in &declared {
                seen.add(list, ident);
            }
        }
    }

    fn table(list: &str) -> Vec<&'static str> {
        let lists: &[&[&'static str]] = match list {
            "ROOT" => &[ROOT, ROOT_REEXPORTS],
            "OPERATION_MODULES" => &[OPERATION_MODULES],
            "OPERATION_MODULE" => &[OPERATION_MODULE],
            "TYPES_MODULE" => &[TYPES_MODULE],
            "GENERICS" => &[GENERICS],
            "REQUEST_MEMBERS" => &[REQUEST_MEMBERS],
            "CLIENT_MEMBERS" => &[CLIENT_MEMBERS],
            "VARIANTS" => &[&[UNKNOWN, UNHANDLED]],
            _ => &[],
        };
        lists.iter().flat_map(|l| l.iter().copied()).collect()
    }

    #[test]
    fn every_name_the_templates_introduce_is_in_the_table() {
        let files = generated();
        let mut seen = Seen::default();
        for (path, file) in &files {
            let list = match path.as_str() {
                "src/lib.rs" => "ROOT",
                "src/operations/mod.rs" => "OPERATION_MODULES",
                "src/types.rs" => "TYPES_MODULE",
                path if path.starts_with("src/operations/") => "OPERATION_MODULE",
                // Modules no spec name enters; only their members count.
                _ => "NONE",
            };
            scan(&file.items, list, &mut seen);
        }
        seen.0.remove("NONE");
        for (list, names) in &seen.0 {
            let table = table(list);
            for name in names {
                assert!(
                    table.contains(&name.as_str()),
                    "the templates introduce `{name}` in {list}, which the table lacks"
                );
            }
        }
        // The other way round, so the table holds no stale names; the
        // operation-module list is a keep-out list, not what is emitted.
        for list in [
            "ROOT",
            "OPERATION_MODULE",
            "TYPES_MODULE",
            "GENERICS",
            "REQUEST_MEMBERS",
            "CLIENT_MEMBERS",
        ] {
            for name in table(list) {
                assert!(
                    seen.0.get(list).is_some_and(|s| s.contains(name)),
                    "`{name}` is in {list} but the templates never introduce it there"
                );
            }
        }
    }

    #[test]
    fn allocations_avoid_the_table() {
        use crate::names::{NameKind, Scope};
        let mut members = Scope::for_namespace(Namespace::RequestMembers);
        assert_eq!(members.allocate(NameKind::Value, "Bind"), "bind_2");
        assert_eq!(members.allocate(NameKind::Value, "Fmt"), "fmt_2");
        assert_eq!(members.allocate(NameKind::Value, "Add"), "add_2");
        let mut types = Scope::for_namespace(Namespace::OperationModule);
        assert_eq!(types.allocate(NameKind::Type, "c"), "C2");
        assert_eq!(
            types.allocate(NameKind::Type, "ResponseFuture"),
            "ResponseFuture2"
        );
        let mut roots = Scope::for_namespace(Namespace::OperationTypes);
        assert_eq!(roots.claim("ServiceError".into()), "ServiceError2");
        let mut variants = Scope::for_namespace(Namespace::EnumVariants);
        assert_eq!(variants.allocate(NameKind::Variant, "unknown"), "Unknown2");
        let mut client = Scope::for_namespace(Namespace::ClientMembers);
        assert_eq!(client.allocate(NameKind::Value, "SendWith"), "send_with_2");
        let mut modules = Scope::for_namespace(Namespace::OperationModules);
        assert_eq!(
            modules.allocate(NameKind::Value, "Operations"),
            "operations_2"
        );
        assert_eq!(modules.allocate(NameKind::Value, "Tests"), "tests_2");
    }
}
