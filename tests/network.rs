//! Bad networks and bad endpoints, without the emulator: a black hole (accepts, never answers), a
//! server that drips its answer, an endpoint answering HTML, an endpoint URL with a path, a missing
//! profile, a region that does not exist. Every command ends within its `[aws]` timeouts (set short
//! in a config file here) with one line saying what to fix, and exit 1.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// Short bounds, so a hung call ends in seconds: connect 1 s, each attempt 1 s, the call 3 s.
const CONFIG: &str = "[aws]\nconnect_timeout_secs = 1\nread_timeout_secs = 1\n\
                      operation_timeout_secs = 3\n\n[cognito]\nuser_pool_id = \"eu-west-1_Test\"\n";

fn scratch() -> PathBuf {
    tempfile::Builder::new()
        .prefix("opsdeck-net-")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .unwrap()
        .keep()
}

/// The binary with made-up static credentials, its own empty AWS files and state, and `CONFIG`.
fn opsdeck(endpoint: Option<&str>, args: &[&str]) -> (Command, PathBuf) {
    opsdeck_with(CONFIG, endpoint, args)
}

fn opsdeck_with(config_text: &str, endpoint: Option<&str>, args: &[&str]) -> (Command, PathBuf) {
    let home = scratch();
    let config = home.join("opsdeck.toml");
    std::fs::write(&config, config_text).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_opsdeck"));
    cmd.env("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
        .env(
            "AWS_SECRET_ACCESS_KEY",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        )
        .env("AWS_SESSION_TOKEN", "IQoJb3JpZ2luX2VjEXAMPLETOKEN")
        .env("AWS_REGION", "eu-west-1")
        .env("AWS_CONFIG_FILE", home.join("aws-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("aws-credentials"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("NO_COLOR", "1")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("AWS_ENDPOINT_URL_STS")
        .env_remove("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER")
        .arg("--config")
        .arg(&config);
    if let Some(endpoint) = endpoint {
        cmd.env("AWS_ENDPOINT_URL", endpoint);
    }
    cmd.args(args);
    (cmd, home)
}

fn run(mut cmd: Command) -> (Output, Duration, String) {
    let started = Instant::now();
    let out = cmd.stdin(Stdio::null()).output().expect("run opsdeck");
    let took = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    eprintln!(
        "exit {:?} after {took:?}\nstderr:\n{stderr}",
        out.status.code()
    );
    (out, took, stderr)
}

/// One line of error, exit 1.
fn assert_one_line_error(out: &Output, stderr: &str) {
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("opsdeck: "), "{stderr}");
}

/// A server on 127.0.0.1 that hands every connection to `serve` on its own thread.
fn server(serve: fn(TcpStream)) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            thread::spawn(move || serve(stream));
        }
    });
    endpoint
}

/// Reads the request's head, so the client sees its request taken.
fn read_head(stream: &mut TcpStream) {
    let mut buf = [0u8; 4096];
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    let _ = stream.read(&mut buf);
}

/// Accepts, never answers, holds the connection for a minute.
fn black_hole(mut stream: TcpStream) {
    read_head(&mut stream);
    thread::sleep(Duration::from_secs(60));
}

/// Answers one byte of a status line every 700 ms: never a complete answer.
fn drip_head(mut stream: TcpStream) {
    read_head(&mut stream);
    for b in b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n"
        .iter()
        .cycle()
        .take(90)
    {
        if stream.write_all(&[*b]).is_err() {
            return;
        }
        thread::sleep(Duration::from_millis(700));
    }
}

/// Answers its head at once, then one byte of the body every 700 ms.
fn drip_body(mut stream: TcpStream) {
    read_head(&mut stream);
    let _ = stream
        .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 500\r\n\r\n");
    for _ in 0..90 {
        if stream.write_all(b"<").is_err() {
            return;
        }
        thread::sleep(Duration::from_millis(700));
    }
}

fn html(mut stream: TcpStream, status: &str) {
    read_head(&mut stream);
    let body = "<!doctype html><html><body><h1>Welcome to nginx!</h1></body></html>";
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
}

fn html_200(stream: TcpStream) {
    html(stream, "200 OK");
}

fn html_404(stream: TcpStream) {
    html(stream, "404 Not Found");
}

/// A hung endpoint: `whoami` and `tenants list` end within the operation timeout (3 s, plus the
/// start) with one line naming the call, the endpoint and the bound, exit 1.
#[test]
fn a_black_hole_endpoint_ends_every_command_within_its_timeouts() {
    let endpoint = server(black_hole);
    for args in [&["whoami"][..], &["tenants", "list"]] {
        let (cmd, _) = opsdeck(Some(&endpoint), args);
        let (out, took, stderr) = run(cmd);
        assert!(took < Duration::from_secs(10), "{args:?} took {took:?}");
        assert_one_line_error(&out, &stderr);
        assert!(stderr.contains("STS GetCallerIdentity"), "{stderr}");
        assert!(
            stderr.contains(&format!("no answer from {endpoint} within")),
            "{stderr}"
        );
        assert!(stderr.contains("timeout_secs"), "{stderr}");
    }
}

/// Connections the counting black hole accepted.
static HELD: AtomicUsize = AtomicUsize::new(0);

fn counting_black_hole(stream: TcpStream) {
    HELD.fetch_add(1, Ordering::SeqCst);
    black_hole(stream);
}

/// With room for every attempt, each one ends at the read timeout and is retried like a lost
/// connection (3 attempts), then the call fails naming the read timeout.
#[test]
fn each_attempt_ends_at_the_read_timeout_and_is_retried() {
    let endpoint = server(counting_black_hole);
    let config = CONFIG.replace("operation_timeout_secs = 3", "operation_timeout_secs = 30");
    let (cmd, _) = opsdeck_with(&config, Some(&endpoint), &["whoami"]);
    let (out, took, stderr) = run(cmd);
    assert!(took < Duration::from_secs(15), "took {took:?}");
    assert_one_line_error(&out, &stderr);
    assert!(
        stderr.contains(&format!(
            "no answer from {endpoint} within 1s on any attempt (aws.read_timeout_secs)"
        )),
        "{stderr}"
    );
    assert_eq!(HELD.load(Ordering::SeqCst), 3, "attempts");
}

#[test]
fn an_endpoint_that_drips_its_answer_ends_within_the_timeouts() {
    for serve in [drip_head as fn(TcpStream), drip_body] {
        let endpoint = server(serve);
        let (cmd, _) = opsdeck(Some(&endpoint), &["whoami"]);
        let (out, took, stderr) = run(cmd);
        assert!(took < Duration::from_secs(10), "took {took:?}");
        assert_one_line_error(&out, &stderr);
        assert!(
            stderr.contains(&format!("no answer from {endpoint} within")),
            "{stderr}"
        );
    }
}

#[test]
fn an_endpoint_answering_html_is_named_with_its_status_and_content_type() {
    let endpoint = server(html_200);
    let (cmd, _) = opsdeck(Some(&endpoint), &["whoami"]);
    let (out, _, stderr) = run(cmd);
    assert_one_line_error(&out, &stderr);
    assert!(
        stderr.contains(&format!(
            "the endpoint {endpoint} did not answer like AWS (HTTP 200, text/html): check \
             --endpoint-url"
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("unhandled"), "{stderr}");
}

#[test]
fn an_endpoint_url_with_a_path_is_named_as_the_mistake() {
    let endpoint = format!("{}/api/v1", server(html_404));
    let (mut cmd, _) = opsdeck(None, &["tenants", "list"]);
    cmd.args(["--endpoint-url", &endpoint]);
    let (out, _, stderr) = run(cmd);
    assert_one_line_error(&out, &stderr);
    assert!(
        stderr.contains(&format!(
            "the endpoint {endpoint} did not answer like AWS (HTTP 404, text/html): an endpoint \
             URL has no path"
        )),
        "{stderr}"
    );
}

#[test]
fn a_missing_profile_is_named_before_any_call() {
    let endpoint = server(black_hole);
    let (mut cmd, home) = opsdeck(Some(&endpoint), &["whoami"]);
    std::fs::write(
        home.join("aws-config"),
        "[default]\nregion = eu-west-1\n[profile prod]\n",
    )
    .unwrap();
    cmd.env("AWS_PROFILE", "ghost");
    let (out, took, stderr) = run(cmd);
    assert!(took < Duration::from_secs(2), "took {took:?}");
    assert_one_line_error(&out, &stderr);
    assert!(
        stderr.contains("profile ghost not found in ~/.aws/config (or $AWS_CONFIG_FILE)"),
        "{stderr}"
    );
    assert!(!stderr.to_lowercase().contains("imds"), "{stderr}");

    // A profile that exists passes the check (and then meets the black hole).
    let (mut cmd, home) = opsdeck(Some(&endpoint), &["whoami"]);
    std::fs::write(
        home.join("aws-config"),
        "[profile prod]\nregion = eu-west-1\n",
    )
    .unwrap();
    cmd.env("AWS_PROFILE", "prod");
    let (_, _, stderr) = run(cmd);
    assert!(!stderr.contains("not found"), "{stderr}");
}

/// `config check` warns about a region it does not know, and still passes the file.
#[test]
fn config_check_warns_about_an_unknown_region() {
    let home = scratch();
    let file = home.join("c.toml");
    std::fs::write(&file, "[aws]\nregion = \"mars-north-9\"\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_opsdeck"))
        .args(["config", "check"])
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("aws.region: `mars-north-9` is not an AWS region opsdeck knows"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains(": ok"));

    std::fs::write(&file, "[aws]\nregion = \"eu-west-1\"\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_opsdeck"))
        .args(["config", "check"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.stderr.is_empty());
}

/// A region nobody has: its endpoint's name does not resolve, and the error says the region is the
/// likely cause instead of quoting the resolver.
#[test]
fn an_unknown_region_is_named_as_the_cause() {
    let (mut cmd, _) = opsdeck(None, &["whoami"]);
    cmd.args(["--region", "mars-north-9"]);
    let (out, took, stderr) = run(cmd);
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert_one_line_error(&out, &stderr);
    assert!(
        stderr.contains("`mars-north-9` is not an AWS region opsdeck knows; check --region"),
        "{stderr}"
    );
}

/// An endpoint variable that is empty (the SDK would panic) or not a URL (the SDK would dump its
/// request) is named with the fix before anything is sent.
#[test]
fn a_broken_endpoint_variable_is_named_not_a_panic() {
    for (name, value) in [
        ("AWS_ENDPOINT_URL_STS", ""),
        ("AWS_ENDPOINT_URL", ""),
        ("AWS_ENDPOINT_URL", "notaurl"),
    ] {
        let (mut cmd, _) = opsdeck(None, &["whoami"]);
        cmd.env(name, value);
        let (out, _, stderr) = run(cmd);
        assert_one_line_error(&out, &stderr);
        assert!(
            stderr.contains(&format!("{name}: `{value}` is not an endpoint URL")),
            "{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}
