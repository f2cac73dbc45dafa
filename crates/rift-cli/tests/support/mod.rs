//! Running the `rift` binary in scratch folders.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `rift` with `args` in `dir`.
pub(crate) fn rift(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rift")).args(args).current_dir(dir).output().expect("rift runs")
}

/// A new scratch folder holding `files` (path, text).
pub(crate) fn scratch(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rift-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}
