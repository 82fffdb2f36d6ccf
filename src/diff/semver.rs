//! The semver verdict: which version the generated crate needs next.

use super::model::{Bump, Impact, Verdict};

/// `MAJOR.MINOR.PATCH`, ignoring any pre-release or build suffix.
fn parse(version: &str) -> Option<(u64, u64, u64)> {
    let core = version.trim().split(['-', '+']).next()?;
    let mut parts = core.split('.').map(|p| p.parse::<u64>().ok());
    let version = (parts.next()??, parts.next()??, parts.next()??);
    parts.next().is_none().then_some(version)
}

/// The semver level the impacts need.
pub fn level(impacts: impl IntoIterator<Item = Impact>) -> Bump {
    impacts
        .into_iter()
        .map(|impact| match impact {
            Impact::Breaking => Bump::Major,
            Impact::Compatible => Bump::Minor,
            Impact::Behavior => Bump::Patch,
        })
        .max()
        .unwrap_or(Bump::None)
}

/// Which component of `version` a change of `level` increments. Cargo
/// treats the left-most non-zero component as the major one, so 0.y.z moves
/// breaking changes to y and everything else to z, and 0.0.z has only z.
pub fn component(version: &str, level: Bump) -> Bump {
    match (parse(version), level) {
        (_, Bump::None) => Bump::None,
        (Some((0, 0, _)), _) => Bump::Patch,
        (Some((0, _, _)), Bump::Major) => Bump::Minor,
        (Some((0, _, _)), _) => Bump::Patch,
        (_, level) => level,
    }
}

/// `version` with `component` incremented and the lower ones reset; the
/// pre-release suffix is dropped. An unparsable version is returned as is.
pub fn bumped(version: &str, component: Bump) -> String {
    let Some((major, minor, patch)) = parse(version) else {
        return version.to_owned();
    };
    let (major, minor, patch) = match component {
        Bump::None => return version.to_owned(),
        Bump::Patch => (major, minor, patch + 1),
        Bump::Minor => (major, minor + 1, 0),
        Bump::Major => (major + 1, 0, 0),
    };
    format!("{major}.{minor}.{patch}")
}

/// The verdict for going from `current` (OLD's crate version) with these
/// changes; `declared` is NEW's crate version.
pub fn verdict(
    current: &str,
    declared: &str,
    impacts: impl IntoIterator<Item = Impact>,
) -> Verdict {
    let level = level(impacts);
    let bump = component(current, level);
    let next = bumped(current, bump);
    let declared_sufficient = match (parse(declared), parse(&next)) {
        (Some(declared), Some(next)) => declared >= next,
        _ => declared == next,
    };
    Verdict {
        level,
        bump,
        current: current.to_owned(),
        next,
        declared: declared.to_owned(),
        declared_sufficient,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_crates_bump_by_level() {
        assert_eq!(bumped("1.2.3", component("1.2.3", Bump::Major)), "2.0.0");
        assert_eq!(bumped("1.2.3", component("1.2.3", Bump::Minor)), "1.3.0");
        assert_eq!(bumped("1.2.3", component("1.2.3", Bump::Patch)), "1.2.4");
        assert_eq!(bumped("1.2.3", component("1.2.3", Bump::None)), "1.2.3");
    }

    #[test]
    fn zero_versions_shift_down() {
        assert_eq!(component("0.3.1", Bump::Major), Bump::Minor);
        assert_eq!(bumped("0.3.1", Bump::Minor), "0.4.0");
        assert_eq!(component("0.3.1", Bump::Minor), Bump::Patch);
        assert_eq!(component("0.0.4", Bump::Major), Bump::Patch);
        assert_eq!(bumped("1.0.0-beta.1", Bump::Patch), "1.0.1");
    }

    #[test]
    fn verdict_checks_the_declared_version() {
        let v = verdict("0.3.0", "0.3.0", [Impact::Compatible, Impact::Breaking]);
        assert_eq!(
            (v.level, v.bump, v.next.as_str()),
            (Bump::Major, Bump::Minor, "0.4.0")
        );
        assert!(!v.declared_sufficient);
        assert!(verdict("0.3.0", "0.4.0", [Impact::Breaking]).declared_sufficient);
        let none = verdict("1.0.0", "1.0.0", []);
        assert_eq!((none.level, none.next.as_str()), (Bump::None, "1.0.0"));
        assert!(none.declared_sufficient);
    }
}
