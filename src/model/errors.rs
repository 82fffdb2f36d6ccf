//! An operation's error enum: one variant per documented code.

use std::collections::BTreeMap;

use crate::docs::{self, Links};
use crate::names::{NameKind, Namespace, Scope};
use crate::spec::Operation;

use super::lit::lit;
use super::{ErrorEnumModel, ErrorVariantModel};
use crate::names::reserved::{UNDOCUMENTED_ERROR, UNHANDLED};

/// The enum every operation without a documented code shares.
pub(super) fn undocumented() -> ErrorEnumModel {
    ErrorEnumModel {
        name: UNDOCUMENTED_ERROR.to_owned(),
        docs: docs::undocumented_error_docs(),
        variants: Vec::new(),
        unhandled: UNHANDLED.to_owned(),
        unhandled_docs: docs::unhandled_docs(),
    }
}

/// The variants in spec order; a code listed under several statuses is one
/// variant documenting each.
pub(super) fn variants(op: &Operation, links: &Links) -> Vec<ErrorVariantModel> {
    let mut error_scope = Scope::for_namespace(Namespace::ErrorVariants);
    let mut by_code: BTreeMap<&str, usize> = BTreeMap::new();
    let mut errors: Vec<ErrorVariantModel> = Vec::new();
    for error in &op.errors {
        let row = docs::error_row(error, links);
        if let Some(&index) = by_code.get(error.code.as_str()) {
            errors[index].docs.push(String::new());
            errors[index].docs.push(row);
            continue;
        }
        by_code.insert(&error.code, errors.len());
        errors.push(ErrorVariantModel {
            name: error_scope.allocate(NameKind::Variant, &error.code),
            code_lit: lit(&error.code),
            docs: docs::error_variant_docs(error, row),
        });
    }
    errors
}
