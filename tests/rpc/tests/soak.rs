//! The soak, short: 15 seconds of mixed load with faults against both servers
//! (`src/bin/soak.rs`; `scripts/long.sh` runs it for ten minutes).

#[test]
fn soak_for_fifteen_seconds() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_soak"))
        .args(["--seconds", "15"])
        .output()
        .expect("the soak runs");
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    println!("{stdout}");
    assert!(out.status.success(), "the soak failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("soak: passed"), "{stdout}");
}
