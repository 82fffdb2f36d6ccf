//! Times each pipeline stage on the synthetic spec, to see where time goes:
//! `cargo run --release --example stage_times -- 1000`

use std::time::Instant;

fn main() {
    let count = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    let files = acsgen::synthetic::product_files(count);
    let t = Instant::now();
    let spec = acsgen::load::parse_product(&files).expect("parses");
    let parsed = t.elapsed();
    let t = Instant::now();
    acsgen::validate::validate(&files, &spec).expect("valid");
    let validated = t.elapsed();
    let t = Instant::now();
    let model = acsgen::model::build(&spec, &Default::default());
    let modelled = t.elapsed();
    let t = Instant::now();
    let rendered = acsgen::render::render_crate(&model).expect("renders");
    let render = t.elapsed();
    let t = Instant::now();
    let mut bytes = 0;
    for file in rendered {
        bytes += acsgen::format::format_file(file)
            .expect("formats")
            .text
            .len();
    }
    let format = t.elapsed();
    println!("load {parsed:?} validate {validated:?} model {modelled:?} render {render:?} format (1 thread) {format:?}; {bytes} bytes");
}
