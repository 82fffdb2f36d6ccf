//! How formatting time splits between syn and prettyplease, with and
//! without doc comments: `cargo run --release --example format_split`
use std::time::Instant;
fn main() {
    let files = acsgen::synthetic::product_files(200);
    let spec = acsgen::load::parse_product(&files).unwrap();
    let model = acsgen::model::build(&spec, &Default::default());
    let rendered = acsgen::render::render_crate(&model).unwrap();
    for strip in [false, true] {
        let texts: Vec<String> = rendered
            .iter()
            .filter(|f| f.path.ends_with(".rs"))
            .map(|f| {
                if strip {
                    f.text
                        .lines()
                        .filter(|l| !l.trim_start().starts_with("///"))
                        .collect::<Vec<_>>()
                        .join("\n")
                } else {
                    f.text.clone()
                }
            })
            .collect();
        let bytes: usize = texts.iter().map(String::len).sum();
        let t = Instant::now();
        let parsed: Vec<syn::File> = texts.iter().map(|t| syn::parse_file(t).unwrap()).collect();
        let p = t.elapsed();
        let t = Instant::now();
        let n: usize = parsed.iter().map(|f| prettyplease::unparse(f).len()).sum();
        println!(
            "strip docs {strip}: {bytes} bytes in; syn {p:?} prettyplease {:?}; {n} bytes out",
            t.elapsed()
        );
    }
}
