//! Every file of the real-world corpus (`../shared/idl-corpus`) that the reference
//! compiler accepts must generate Rust that compiles without warnings and passes clippy.
//!
//! The test generates each file (with what it includes) and checks the code with
//! `cargo clippy -D warnings` in a scratch workspace under the target directory. Corpus
//! files of one project include the same files, which generate the same modules: so
//! that each is compiled once, roots whose modules agree share one module tree
//! (`gNNN`), and the trees are spread over a few crates that cargo checks in parallel
//! with bounded memory. Every diagnostic is mapped back to the corpus files whose code
//! it is in. The test prints the rate, the amount of code and the time taken; files are
//! rewritten only where they changed, so a second run is quick.
//!
//! The corpus lives outside the project. When it is missing the test says so and passes,
//! except under `CI=true`, where it fails.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// How many crates the module trees are spread over.
const CRATES: usize = 6;

fn corpus_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("RIFT_IDL_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/idl-corpus"),
    };
    dir.join("MANIFEST.tsv").is_file().then_some(dir)
}

/// Writes past the test harness's output capture, so the figures show in every run.
fn say(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// The accepted files of the manifest: their path and include directories.
fn accepted(manifest: &str) -> Vec<(String, Vec<String>)> {
    let mut lines = manifest.lines();
    let header: Vec<&str> = lines.next().expect("a header line").split('\t').collect();
    let col =
        |name: &str| header.iter().position(|h| *h == name).unwrap_or_else(|| panic!("no column {name}"));
    let (path, dirs, verdict) = (col("local_path"), col("check_include_dirs"), col("apache_master"));
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|cols| cols[verdict] == "ok")
        .map(|cols| {
            let dirs = cols[dirs].split_whitespace().filter(|a| *a != "-I").map(String::from).collect();
            (cols[path].to_string(), dirs)
        })
        .collect()
}

fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"),
    }
}

/// A module tree that several corpus roots share: module path → code and the roots
/// whose code it is.
#[derive(Default)]
struct Tree<'a> {
    modules: BTreeMap<Vec<String>, (String, Vec<&'a str>)>,
    /// The `#![allow(...)]` line of the generator's `mod.rs`.
    allow: String,
}

impl<'a> Tree<'a> {
    /// Takes `root`'s modules if the tree is empty, or if they share a module with it
    /// and none of them differs from one already here.
    fn try_add(&mut self, root: &'a str, generated: &rift_build::Generated) -> bool {
        let mut shared = self.modules.is_empty();
        for m in &generated.modules {
            match self.modules.get(&m.path) {
                Some((code, _)) if *code == m.code => shared = true,
                Some(_) => return false,
                None => {}
            }
        }
        if shared {
            for m in &generated.modules {
                self.modules
                    .entry(m.path.clone())
                    .or_insert_with(|| (m.code.clone(), Vec::new()))
                    .1
                    .push(root);
            }
            if self.allow.is_empty() {
                let files = generated.source_tree_files();
                let (_, root_mod) = files.iter().find(|(f, _)| f == Path::new("mod.rs")).expect("a mod.rs");
                self.allow =
                    root_mod.lines().find(|l| l.starts_with("#![allow(")).expect("allowed lints").into();
            }
        }
        shared
    }

    fn bytes(&self) -> usize {
        self.modules.values().map(|(code, _)| code.len()).sum()
    }

    /// The files of the tree: each module with `mod` declarations of its children,
    /// and `mod.rs` declaring the top modules.
    fn files(&self) -> Vec<(PathBuf, String, &[&'a str])> {
        let children = |path: &[String]| -> String {
            self.modules
                .keys()
                .filter(|p| p.len() == path.len() + 1 && p[..path.len()] == *path)
                .map(|p| format!("pub mod {};\n", rust_ident(&p[path.len()])))
                .collect()
        };
        let mut files: Vec<(PathBuf, String, &[&'a str])> = self
            .modules
            .iter()
            .map(|(path, (code, roots))| {
                let mut file: PathBuf = path.iter().collect();
                file.set_extension("rs");
                let subs = children(path);
                let code = if subs.is_empty() { code.clone() } else { format!("{code}\n{subs}") };
                (file, code, roots.as_slice())
            })
            .collect();
        files.push((PathBuf::from("mod.rs"), format!("{}\n\n{}", self.allow, children(&[])), &[]));
        files
    }
}

/// A module name as the generator declares it (keywords raw).
fn rust_ident(name: &str) -> String {
    match syn::parse_str::<syn::Ident>(name) {
        Ok(_) => name.to_string(),
        Err(_) => format!("r#{name}"),
    }
}

#[test]
fn accepted_corpus_files_generate_rust_that_compiles() {
    let Some(corpus) = corpus_dir() else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "the IDL corpus (../shared/idl-corpus) is missing, and CI=true requires it"
        );
        say("corpus: ../shared/idl-corpus not found; skipped (set RIFT_IDL_CORPUS to point at it)");
        return;
    };
    let manifest = std::fs::read_to_string(corpus.join("MANIFEST.tsv")).unwrap();
    let files = accepted(&manifest);
    assert!(files.len() > 300, "expected the corpus's accepted files, found {}", files.len());

    // Generate every root and share module trees where the code agrees.
    let started = Instant::now();
    let (mut lines, mut bytes) = (0usize, 0usize);
    let mut trees: Vec<Tree> = Vec::new();
    let mut failures = Vec::new();
    for (path, dirs) in &files {
        let builder = rift_build::Builder::new().include_dirs(dirs.iter().map(|d| corpus.join(d)));
        match builder.generate(&[corpus.join(path)]) {
            Ok(generated) => {
                for m in &generated.modules {
                    lines += m.code.lines().count();
                    bytes += m.code.len();
                }
                if !trees.iter_mut().any(|t| t.try_add(path, &generated)) {
                    let mut tree = Tree::default();
                    assert!(tree.try_add(path, &generated));
                    trees.push(tree);
                }
            }
            Err(e) => failures.push(format!("{path}: generation failed: {e}")),
        }
    }
    let generate_time = started.elapsed();
    let unique: usize = trees.iter().map(Tree::bytes).sum();

    // Spread the trees over the crates, largest first onto the smallest crate.
    let mut order: Vec<usize> = (0..trees.len()).collect();
    order.sort_by_key(|&t| std::cmp::Reverse(trees[t].bytes()));
    let mut crates: Vec<(usize, Vec<usize>)> = vec![(0, Vec::new()); CRATES];
    for t in order {
        let smallest = crates.iter_mut().min_by_key(|c| c.0).unwrap();
        smallest.0 += trees[t].bytes();
        smallest.1.push(t);
    }

    let root = target_dir().join("rift-corpus-check");
    let rift = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rift").canonicalize().unwrap();
    let members: Vec<String> = (0..CRATES).map(|c| format!("\"c{c}\"")).collect();
    let workspace = format!("[workspace]\nresolver = \"3\"\nmembers = [{}]\n", members.join(", "));
    rift_build::write_if_changed(&root.join("Cargo.toml"), &workspace).unwrap();
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.lock");
    if !root.join("Cargo.lock").exists() {
        std::fs::copy(lock, root.join("Cargo.lock")).unwrap();
    }
    // Remove what an earlier layout left.
    let _ = std::fs::remove_dir_all(root.join("src"));
    // `c3/src/g012/x.rs` → the corpus roots whose code that is.
    let mut owners: BTreeMap<String, &[&str]> = BTreeMap::new();
    for (c, (_, tree_ids)) in crates.iter().enumerate() {
        let dir = root.join(format!("c{c}"));
        let manifest = format!(
            "[package]\nname = \"rift-corpus-check-{c}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\nrift = {{ path = {:?} }}\n",
            rift.display().to_string()
        );
        rift_build::write_if_changed(&dir.join("Cargo.toml"), &manifest).unwrap();
        let mut lib = String::from("#![deny(warnings)]\n");
        let mut wanted = Vec::new();
        for &t in tree_ids {
            let module = format!("g{t:03}");
            lib.push_str(&format!("pub mod {module};\n"));
            for (file, code, roots) in trees[t].files() {
                let relative = format!("c{c}/src/{module}/{}", file.to_string_lossy());
                owners.insert(relative, roots);
                rift_build::write_if_changed(&dir.join("src").join(&module).join(file), &code).unwrap();
            }
            wanted.push(module);
        }
        rift_build::write_if_changed(&dir.join("src/lib.rs"), &lib).unwrap();
        for entry in std::fs::read_dir(dir.join("src")).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.path().is_dir() && !wanted.contains(&name) {
                std::fs::remove_dir_all(entry.path()).unwrap();
            }
        }
    }

    let started = Instant::now();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "clippy",
            "--quiet",
            "--workspace",
            "--keep-going",
            "--message-format",
            "short",
            "--manifest-path",
        ])
        .arg(root.join("Cargo.toml"))
        .args(["--", "-D", "warnings"])
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let check_time = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);

    let mut broken: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for line in stderr.lines() {
        let Some((file, _)) = line.split_once(':') else { continue };
        if let Some(roots) = owners.get(file) {
            for root in roots.iter() {
                broken.entry(root).or_default().push(line);
            }
        }
    }
    if !output.status.success() && broken.is_empty() {
        panic!("cargo clippy failed outside the generated modules:\n{stderr}");
    }
    for (path, diagnostics) in &broken {
        let shown: Vec<&str> = diagnostics.iter().take(5).copied().collect();
        failures.push(format!(
            "{path}: {} diagnostics, first:\n    {}",
            diagnostics.len(),
            shown.join("\n    ")
        ));
    }

    // Each failing file is in `failures` once: it failed to generate, or its code broke.
    let compiled = files.len() - failures.len();
    say(&format!(
        "corpus: {compiled}/{} accepted files generate Rust that compiles clippy-clean ({:.1}%); \
         {lines} lines, {:.1} MB generated in {:.2?} ({:.1} MB in {} distinct module trees); \
         cargo clippy took {:.1?}",
        files.len(),
        100.0 * compiled as f64 / files.len() as f64,
        bytes as f64 / 1e6,
        generate_time,
        unique as f64 / 1e6,
        trees.len(),
        check_time,
    ));
    assert!(failures.is_empty(), "{} files fail:\n{}", failures.len(), failures.join("\n"));
}
