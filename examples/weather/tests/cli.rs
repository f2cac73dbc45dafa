//! The weather binaries as a newcomer meets them: their help, and their errors.

use std::process::Command;

#[test]
fn server_names_the_address_it_cannot_listen_on() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    for extra in [&[][..], &["--blocking"][..]] {
        let out = Command::new(env!("CARGO_BIN_EXE_weather-server"))
            .args(["--host", "127.0.0.1", "--port", &port])
            .args(extra)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{extra:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("cannot listen on 127.0.0.1:{port}")), "{extra:?}: {err}");
    }
}

#[test]
fn each_binary_describes_its_own_options() {
    let help = |bin: &str| {
        let out = Command::new(bin).arg("--help").output().unwrap();
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let client = help(env!("CARGO_BIN_EXE_weather-client"));
    assert!(client.contains("The host to connect to"), "{client}");
    assert!(client.contains("Call with the blocking client"), "{client}");
    assert!(!client.contains("listen") && !client.contains("server"), "{client}");
    let server = help(env!("CARGO_BIN_EXE_weather-server"));
    assert!(server.contains("The address to listen on"), "{server}");
    assert!(server.contains("Serve with the blocking server"), "{server}");
    assert!(!server.contains("connect to"), "{server}");
}
