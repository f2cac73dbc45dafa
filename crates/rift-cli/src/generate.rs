//! `rift gen`: generate Rust for IDL into a source tree, for teams that commit it.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

#[derive(Debug, Args)]
pub(crate) struct GenArgs {
    /// Directory to search for included files (repeatable)
    #[arg(short = 'I', long = "include-dir", value_name = "DIR")]
    include_dirs: Vec<PathBuf>,

    /// Directory to write the module tree to (`mod.rs` and one file per module)
    #[arg(short = 'o', long = "out", value_name = "DIR")]
    out: PathBuf,

    /// Derive serde's Serialize and Deserialize on generated types
    #[arg(long)]
    serde: bool,

    /// Files to generate code for (their includes are generated too)
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

/// Exit code 0 on success, 1 when the IDL has errors or a file cannot be written.
pub(crate) fn run(args: &GenArgs) -> ExitCode {
    let builder = rift_build::Builder::new()
        .include_dirs(args.include_dirs.iter().cloned())
        .serde(args.serde)
        .generator("rift gen");
    let generated = match builder.generate(&args.files) {
        Ok(generated) => generated,
        // As `rift check` prints them, ending with the same count line.
        Err(rift_build::Error::Idl(errors)) => {
            eprintln!("{errors}");
            return ExitCode::from(1);
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let files = generated.source_tree_files();
    for (path, code) in &files {
        if let Err(e) = rift_build::write_if_changed(&args.out.join(path), code) {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    }
    let plural = if files.len() == 1 { "" } else { "s" };
    outln!("wrote {} file{plural} to {}", files.len(), args.out.display());
    ExitCode::SUCCESS
}
