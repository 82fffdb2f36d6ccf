#!/usr/bin/env bash
# Whole-catalogue run (issue 10): imports every product version of
# ../shared/catalogue/2024-06.tar.xz, generates them all in one run, then
# cargo check / clippy -D warnings / test (unit + doctests) over the crates.
# Usage: bash benches/catalogue.sh [WORKDIR]      (default target/catalogue)
#   CATALOGUE_ONLY="live ecs oos"  only these products (all their versions)
#   ACSGEN=path                    use this acsgen binary instead of building
#   CATALOGUE_STAGES="check clippy test"   cargo stages to run (default all)
#   CATALOGUE_REV=rev              commit whose acsgen and runtime are used (HEAD)
# WORKDIR keeps everything: summary.txt, results/*.tsv, logs/ (import/<key>.log,
# <crate>.<stage>.log for each failure, cargo-<stage>.{json,log} raw), spec/, gen/.
# Re-runs wipe WORKDIR except its cargo target dirs (target/, target-acsgen/).
set -euo pipefail
caller=$(pwd)
cd "$(dirname "$0")/.."
root=$(pwd)
tarball=$root/../shared/catalogue/2024-06.tar.xz
case ${1:-} in /*) work=$1 ;; "") work=$root/target/catalogue ;; *) work=$caller/$1 ;; esac
work=$(realpath -m "$work")
# Never write into the tracked tree: inside the repo only target/ is allowed.
case $work/ in
    "$root"/target/*) ;;
    "$root"/*) echo "catalogue: WORKDIR $work is inside the repository (use target/...)" >&2; exit 2 ;;
esac
[ -f "$tarball" ] || { echo "skipped: $tarball not found"; exit 0; }
stages=${CATALOGUE_STAGES:-check clippy test}
niced() { nice -n 10 "$@"; }

mkdir -p "$work"
rm -rf "$work"/{meta,import,spec,gen,logs,results,one,acsgen,summary.txt}
mkdir -p "$work"/{meta,import,spec,gen,logs/import,results}
res=$work/results

# acsgen and the runtime from a snapshot of a commit (default HEAD): others
# edit the working tree and rebuild target/release while this runs.
rev=${CATALOGUE_REV:-HEAD}
rm -rf "$work/src"; mkdir -p "$work/src"
git -C "$root" archive "$rev" | tar -x -C "$work/src"
runtime=$work/src/runtime
if [ -n "${ACSGEN:-}" ]; then
    acsgen=$(realpath "$ACSGEN")
else
    (cd "$work/src" && CARGO_TARGET_DIR=$work/target-acsgen niced cargo build --release --locked -q)
    cp "$work/target-acsgen/release/acsgen" "$work/acsgen"
    acsgen=$work/acsgen
fi
echo "catalogue: $(git -C "$root" rev-parse --short "$rev"), acsgen $acsgen, workdir $work"

niced tar -xJf "$tarball" -C "$work/meta"

# 1. Import: each version into its own spec root (two versions of one product
# would overwrite each other under <out>/<product>), then moved to spec/<key>.
: > "$res/import.tsv"   # key crate product version style rc ops skipped warnings
inputs=$(cd "$work/meta" && find . -name api-docs.json | sed 's|^\./||' | sort)
for input in $inputs; do
    product=${input%%/*}; rest=${input#*/}; version=${rest%%/*}
    if [ -n "${CATALOGUE_ONLY:-}" ] && [[ " $CATALOGUE_ONLY " != *" $product "* ]]; then continue; fi
    # Cargo names: letters, digits, - and _ (versions like `iap_1.0` exist).
    v=$(printf %s "$version" | tr -d - | tr -c 'A-Za-z0-9_' _)
    key=$product-$v
    crate=cat-$key
    log=$work/logs/import/$key.log
    rc=0
    niced "$acsgen" import --input "$work/meta/$input" --crate-name "$crate" \
        --out "$work/import/$key" >"$log" 2>&1 || rc=$?
    style=$(jq -r '.info.style // "?"' "$work/meta/$input" 2>/dev/null || echo "?")
    ops=0
    if [ "$rc" = 0 ]; then
        dir=$(find "$work/import/$key" -mindepth 1 -maxdepth 1 -type d | head -1)
        mv "$dir" "$work/spec/$key"
        ops=$(find "$work/spec/$key/operations" -name '*.yaml' | wc -l)
    fi
    header=$(grep -m1 -E '^import [^:]+: ' "$log" || true)
    skipped=$(sed -nE 's/.* ([0-9]+) operation\(s\) skipped.*/\1/p' <<<"$header"); skipped=${skipped:-0}
    warnings=$(sed -nE 's/.* ([0-9]+) warning\(s\)$/\1/p' <<<"$header"); warnings=${warnings:-0}
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$key" "$crate" "$product" "$version" \
        "$style" "$rc" "$ops" "$skipped" "$warnings" >>"$res/import.tsv"
    echo "import $key: exit $rc, $ops imported, $skipped skipped, $warnings warnings"
done

# 2. Generate every imported product in one run.
gen_rc=0
# CPU time too: wall time on this shared machine depends on the others' load.
/usr/bin/time -f "%e s, %M KB, %U s user" -o "$res/generate.time" \
    nice -n 10 "$acsgen" generate --spec "$work/spec" --out "$work/gen" --runtime-path "$runtime" \
    >"$work/logs/generate.log" 2>&1 || gen_rc=$?
echo "generate: exit $gen_rc, $(tail -1 "$res/generate.time")"
: > "$res/generate-fallback.tsv"
if [ "$gen_rc" != 0 ]; then
    # One bad product stops the whole (all-or-nothing) run: retry one by one
    # so the rest still get checked; the one-run failure stays in the summary.
    for spec in "$work"/spec/*/; do
        key=$(basename "$spec")
        mkdir -p "$work/one/$key"; cp -r "$spec" "$work/one/$key/$key"
        rc=0
        nice -n 10 "$acsgen" generate --spec "$work/one/$key" --out "$work/gen" --runtime-path "$runtime" \
            >"$work/logs/generate.$key.log" 2>&1 || rc=$?
        printf '%s\t%s\n' "$key" "$rc" >>"$res/generate-fallback.tsv"
    done
fi

# 3. A workspace over the generated crates, built against the local runtime.
members=()
: > "$res/crates.tsv"   # key crate
for manifest in "$work"/gen/*/Cargo.toml; do
    [ -f "$manifest" ] || continue
    dir=$(dirname "$manifest"); key=$(basename "$dir")
    name=$(sed -nE 's/^name = "(.*)"$/\1/p' "$manifest" | head -1)
    members+=("$key")
    printf '%s\t%s\n' "$key" "$name" >>"$res/crates.tsv"
done
{
    printf '[workspace]\nresolver = "2"\nmembers = [\n'
    for m in "${members[@]}"; do printf '    "%s",\n' "$m"; done
    printf ']\n'
} >"$work/gen/Cargo.toml"
cp "$work/src/Cargo.lock" "$work/gen/Cargo.lock"

cd "$work/gen"
export CARGO_TARGET_DIR=$work/target CARGO_INCREMENTAL=0 CARGO_NET_OFFLINE=true
# No debug info: faster links and ~GBs less disk over ~230 test binaries.
export CARGO_PROFILE_DEV_DEBUG=0 CARGO_PROFILE_TEST_DEBUG=0

# Splits a cargo JSON stream into per-crate results: status (ok/fail + first
# error), every diagnostic (for lint counts) and logs/<crate>.<stage>.log.
cat >"$res/attribute.py" <<'EOF'
import json, sys, os
stage, crates_tsv, logs, out = sys.argv[1:5]
names = {}
for line in open(crates_tsv):
    key, name = line.rstrip("\n").split("\t")
    names[name] = key
msgs, arts, other = {}, set(), []
for line in sys.stdin:
    if not line.startswith("{"):
        other.append(line); continue
    try:
        m = json.loads(line)
    except ValueError:
        other.append(line); continue
    # path+file:///.../gen/<key>#<name>@<version>, or #<version> when they agree
    pid = m.get("package_id", "")
    name = pid.split("#")[-1].split("@")[0] if "@" in pid.split("#")[-1] else os.path.basename(pid.split("#")[0])
    if name not in names:
        continue
    if m.get("reason") == "compiler-artifact":
        arts.add(name)
    elif m.get("reason") == "compiler-message":
        msgs.setdefault(name, []).append((m["target"]["kind"][0], m.get("profile"), m["message"]))
with open(out + "/" + stage + ".status.tsv", "w") as st, open(out + "/diagnostics.tsv", "a") as dg:
    for name in sorted(names):
        first, errors = "", 0
        text = []
        for kind, _, d in msgs.get(name, []):
            if d["level"] not in ("error", "warning"):
                continue
            code = (d.get("code") or {}).get("code") or ""
            span = next((s for s in d.get("spans", []) if s.get("is_primary")), None)
            where = "%s:%d" % (span["file_name"], span["line_start"]) if span else ""
            text.append(d.get("rendered") or d["message"])
            if d["message"].endswith("previous errors") or d["message"].startswith("aborting due"):
                continue
            dg.write("\t".join([name, stage, d["level"], code, where, d["message"].replace("\t", " ").split("\n")[0]]) + "\n")
            if d["level"] == "error":
                errors += 1
                if not first:
                    first = "%s: %s%s" % (where, d["message"].split("\n")[0], " [%s]" % code if code else "")
        ok = errors == 0 and name in arts
        if not ok and not first:
            first = "no artifact and no diagnostic (see logs/cargo-%s.log)" % stage
        st.write("\t".join([name, "ok" if ok else "fail", str(errors), first]) + "\n")
        if not ok:
            with open("%s/%s.%s.log" % (logs, name, stage), "w") as f:
                f.write("".join(text))
EOF

# Runs one workspace-wide cargo command (both cores busy, failures attributed
# per crate from its JSON messages); --keep-going so one crate stops no other.
cargo_stage() {
    local stage=$1; shift
    local status=0 cmd=() tool=()
    # Cargo's options go before a `--` (what follows is the tool's).
    while [ $# -gt 0 ] && [ "$1" != -- ]; do cmd+=("$1"); shift; done
    tool=("$@")
    /usr/bin/time -f "%e s, %M KB" -o "$res/$stage.time" \
        nice -n 10 "${cmd[@]}" --workspace --keep-going --message-format=json "${tool[@]}" \
        >"$work/logs/cargo-$stage.json" 2>"$work/logs/cargo-$stage.log" || status=$?
    python3 "$res/attribute.py" "$stage" "$res/crates.tsv" "$work/logs" "$res" <"$work/logs/cargo-$stage.json"
    echo "$stage: exit $status, $(tail -1 "$res/$stage.time"), $(grep -c $'\tok\t' "$res/$stage.status.tsv" || true)/${#members[@]} ok"
}

: > "$res/diagnostics.tsv"   # crate stage level code file:line message
if [ ${#members[@]} -gt 0 ]; then
    # Dependencies once, outside every measurement.
    nice -n 10 cargo build -q -p acsgen-runtime >"$work/logs/cargo-deps.log" 2>&1 || true
    for stage in $stages; do
        case $stage in
        check) cargo_stage check cargo check ;;
        clippy) cargo_stage clippy cargo clippy --all-targets -- -D warnings ;;
        test)
            # Build lib + unit-test targets with attribution, then run the tests of
            # the crates that built (cargo test has no --keep-going).
            cargo_stage test-build cargo build --lib --tests
            excludes=()
            while IFS=$'\t' read -r name state _; do
                [ "$state" = ok ] || excludes+=(--exclude "$name")
            done <"$res/test-build.status.tsv"
            if [ ${#excludes[@]} -lt ${#members[@]} ]; then
                /usr/bin/time -f "%e s, %M KB" -o "$res/test.time" \
                    nice -n 10 cargo test --workspace "${excludes[@]}" --no-fail-fast \
                    >"$work/logs/cargo-test.log" 2>&1 || true
            fi
            echo "test: $(tail -1 "$res/test.time" 2>/dev/null || echo 'not run')"
            ;;
        esac
    done
fi

# 4. Summary: one line, then every failure.
python3 - "$work" "$stages" "${gen_rc}" <<'EOF' | tee "$work/summary.txt"
import sys, re, os, collections
work, stages, gen_rc = sys.argv[1], sys.argv[2].split(), sys.argv[3]
res = work + "/results"
def tsv(name):
    p = res + "/" + name
    return [l.rstrip("\n").split("\t") for l in open(p)] if os.path.exists(p) else []
imports = tsv("import.tsv")
crates = {name: key for key, name in tsv("crates.tsv")}
failures = []  # (crate, stage, first line)

# Import: refused operations by reason class (backquoted names elided).
reasons, refused_products = collections.Counter(), collections.Counter()
refused_style_ops = collections.Counter()  # operations of products refused whole, by style
ok_products = ok_ops = refused_ops = 0
for key, crate, product, version, style, rc, ops, skipped, warnings in imports:
    lines = open(work + "/logs/import/" + key + ".log").read().split("\n")
    inside = False
    for l in lines:
        if l == "skipped:":
            inside = True; continue
        if inside and l.startswith("  ") and ": " in l:
            reason = l.strip().split(": ", 1)[1]
            # Classes: "<style> style" (path `/` said apart: RPC-shaped), others with names elided.
            st = re.match(r"^(\w+) style: \w+ `([^`]*)`", reason)
            if st:
                reason = "%s style%s" % (st.group(1), ", path /" if st.group(2) == "/" else "")
            reason = re.sub(r"`[^`]*`", "`…`", reason)
            reasons[reason] += 1
        elif inside:
            inside = False
    refused_ops += int(skipped)
    if rc == "0":
        ok_products += 1; ok_ops += int(ops)
    elif rc == "3" and style.upper() != "RPC":
        refused_products[style] += 1
        # `nothing importable: `x` is OSS style (150 operation(s)): why`
        whole = next((re.search(r"\((\d+) operation\(s\)\)", l) for l in lines if " style (" in l), None)
        refused_style_ops[style] += int(whole.group(1)) if whole else 0
    else:
        first = next((l for l in lines if l.strip()), "")
        failures.append((crate, "import", "exit %s: %s" % (rc, first[:300])))
nonrpc = sum(refused_products.values())
parts = ["catalogue: products %d (non-RPC refused %d: %s)" % (len(imports), nonrpc,
         ", ".join("%s %d (%d ops)" % (st, n, refused_style_ops[st])
                   for st, n in refused_products.most_common()))]
parts.append("import: %d products / %d ops (%d refused: %s)" % (ok_products, ok_ops, refused_ops,
             "; ".join("%s ×%d" % (r, n) for r, n in reasons.most_common())))

gtime = open(res + "/generate.time").read().strip().split("\n")[-1] if os.path.exists(res + "/generate.time") else "?"
m = re.match(r"([\d.]+) s, (\d+) KB", gtime)
gtext = "%s s%s, %d MB" % (m.group(1), " (%s)" % gtime.split(", ")[-1] if "user" in gtime else "", int(m.group(2)) // 1024) if m else gtime
fallback = tsv("generate-fallback.tsv")
if gen_rc != "0":
    log = open(work + "/logs/generate.log").read().strip().split("\n")
    failures.append(("(all)", "generate", "one-run exit %s: %s" % (gen_rc, log[0][:300] if log else "")))
    for key, rc in fallback:
        if rc != "0":
            l = open(work + "/logs/generate." + key + ".log").read().strip().split("\n")
            failures.append(("cat-" + key, "generate", "exit %s: %s" % (rc, l[0][:300] if l else "")))
gen_ops = 0
for name, key in crates.items():
    d = work + "/spec/" + key + "/operations"
    gen_ops += len(os.listdir(d)) if os.path.isdir(d) else 0
parts.append("generate: %d/%d products, %d ops in %s%s" % (len(crates), ok_products, gen_ops, gtext,
             "" if gen_rc == "0" else " (one run FAILED, exit %s; crates from per-product fallback)" % gen_rc))

def ops_of(name):
    d = work + "/spec/" + crates[name] + "/operations"
    return len(os.listdir(d)) if os.path.isdir(d) else 0
diags = tsv("diagnostics.tsv")
for stage in ("check", "clippy"):
    if stage not in stages:
        continue
    st = tsv(stage + ".status.tsv")
    ok = [r for r in st if r[1] == "ok"]
    codes = collections.Counter(d[3] or d[5][:60] for d in diags if d[1] == stage and d[2] == "error")
    text = "%s: %d/%d crates ok (%d/%d ops)" % (stage, len(ok), len(st), sum(ops_of(r[0]) for r in ok),
                                                 sum(ops_of(r[0]) for r in st))
    if codes:
        text += ", %d errors: %s" % (sum(codes.values()), ", ".join("%s ×%d" % kv for kv in codes.most_common()))
    parts.append(text)
    failures += [(r[0], stage, r[3]) for r in st if r[1] != "ok"]

if "test" in stages:
    st = tsv("test-build.status.tsv")
    failures += [(r[0], "test-build", r[3]) for r in st if r[1] != "ok"]
    unit = [0, 0]; doc = [0, 0]; unit_crates = doc_crates = 0
    log = work + "/logs/cargo-test.log"
    lines = open(log).read().split("\n") if os.path.exists(log) else []
    section = None; sections = collections.defaultdict(list)
    lib_to_crate = {n.replace("-", "_"): n for n in crates}
    for l in lines:
        mu = re.match(r"\s+Running unittests .*deps/(\w+?)-[0-9a-f]+\)$", l)
        md = re.match(r"\s+Doc-tests (\w+)$", l)
        if mu: section = (lib_to_crate.get(mu.group(1), mu.group(1)), "test"); continue
        if md: section = (lib_to_crate.get(md.group(1), md.group(1)), "doctest"); continue
        if section: sections[section].append(l)
    for (name, kind), body in sorted(sections.items()):
        r = next((re.match(r"test result: (\w+)\. (\d+) passed; (\d+) failed", l) for l in body
                  if l.startswith("test result:")), None)
        tally = unit if kind == "test" else doc
        if not r:
            failures.append((name, kind, "no test result (see logs/cargo-test.log)"))
            open("%s/logs/%s.%s.log" % (work, name, kind), "w").write("\n".join(body))
            continue
        passed, failed = int(r.group(2)), int(r.group(3))
        tally[0] += passed; tally[1] += passed + failed
        if failed:
            # Names are listed under the last `failures:` heading.
            last = max((i for i, l in enumerate(body) if l == "failures:"), default=len(body))
            names = [l.strip() for l in body[last:] if re.match(r"^    \S", l)]
            first = ""
            for i, l in enumerate(body):
                if "panicked at" in l:  # where, then the assertion message and values
                    msg = " ".join(x.strip() for x in body[i + 1:i + 4] if x.strip() and not x.startswith("stack"))
                    first = "%s: %s" % (l.split("panicked at ")[-1].rstrip(":"), msg)
                    break
                if l.startswith("error"):
                    first = l.strip()
                    break
            failures.append((name, kind, "%d failed (%s ...): %s" % (failed, ", ".join(names[:3]), first[:300])))
            open("%s/logs/%s.%s.log" % (work, name, kind), "w").write("\n".join(body))
    ttime = open(res + "/test.time").read().strip().split("\n")[-1] if os.path.exists(res + "/test.time") else "?"
    parts.append("tests: build %d/%d ok, unit %d/%d passed, doctests %d/%d passed (run %s)" % (
        len([r for r in st if r[1] == "ok"]), len(st), unit[0], unit[1], doc[0], doc[1], ttime))

by_stage = collections.Counter(f[1] for f in failures)
parts.append("failures: %d (%s)" % (len(failures), ", ".join("%s %d" % kv for kv in by_stage.most_common())) if failures else "failures: none")
print(" | ".join(parts))
for crate, stage, first in failures:
    print("  %s\t%s\t%s" % (crate, stage, first))
EOF
