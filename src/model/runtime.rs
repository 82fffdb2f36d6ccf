//! Values of the runtime's enums that generated code names (`Location::Query`,
//! `Style::Json`, ...), typed, so a misspelt variant cannot reach a template.
//! Each prints as its variant name in `acsgen_runtime`.

use crate::spec;

/// An enum whose variants print as their names, mirroring one of the
/// runtime's, with its conversion from the spec's enum.
macro_rules! runtime_enum {
    ($(#[$doc:meta])* $name:ident from $spec:ty { $($variant:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            /// The variant's name in the runtime.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => stringify!($variant)),+
                }
            }
        }

        impl From<$spec> for $name {
            fn from(value: $spec) -> Self {
                match value {
                    $(<$spec>::$variant => $name::$variant),+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

runtime_enum! {
    /// `acsgen_runtime::Location`: where a parameter is sent.
    Location from spec::Location { Query, Body, Header, Host, Path, Stream, Json, JsonBody }
}

runtime_enum! {
    /// `acsgen_runtime::Style`: how an array, object or map is sent.
    Style from spec::ParamStyle { RepeatList, Simple, Json, Flat, SpaceDelimited, PipeDelimited }
}

runtime_enum! {
    /// `acsgen_runtime::Method`.
    Method from spec::HttpMethod { Get, Post, Put, Delete, Patch, Head }
}

runtime_enum! {
    /// `acsgen_runtime::EndpointRule`: the host of a region not in the map.
    EndpointRule from spec::EndpointRule { Regional, Central }
}

runtime_enum! {
    /// `acsgen_runtime::Scheme`.
    Scheme from spec::Scheme { Https, Http }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_print_as_the_runtime_names_them() {
        assert_eq!(Location::from(spec::Location::Body).to_string(), "Body");
        assert_eq!(
            Style::from(spec::ParamStyle::SpaceDelimited).to_string(),
            "SpaceDelimited"
        );
        assert_eq!(Method::from(spec::HttpMethod::Delete).as_str(), "Delete");
        assert_eq!(
            EndpointRule::from(spec::EndpointRule::Central).to_string(),
            "Central"
        );
        assert_eq!(Scheme::from(spec::Scheme::Http).to_string(), "Http");
    }
}
