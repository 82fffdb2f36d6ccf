//! How parameters are written on the wire: percent-encoding and array/object styles.

pub mod params;
pub mod percent;
