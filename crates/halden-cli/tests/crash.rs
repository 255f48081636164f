//! Killing the server during writes loses nothing it acknowledged (issue 4: "kills the server
//! during writes and checks nothing acknowledged is lost").
//!
//! Eight clients register persons through the API as fast as they can, each request under its
//! own `Idempotency-Key`; the server is killed with SIGKILL in the middle of that. After a
//! restart on the same SQLite file:
//! - every acknowledged registration is there, with the data that was sent;
//! - every request, acknowledged or cut off, retried under its key, either replays the first
//!   answer (it was committed) or registers the person now (it was not): never twice.

#![allow(clippy::unwrap_used, reason = "test fixtures")]

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::TcpStream,
    process::{Child, Command, Stdio},
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    thread,
    time::{Duration, Instant},
};

use halden_storage::{PersonFilter, Store};
use serde_json::{Value, json};

/// One HTTP/1.1 exchange on a fresh connection; `None` when the connection fails or is cut.
fn http(
    address: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&Value>,
) -> Option<(u16, Value)> {
    let mut stream = TcpStream::connect(address).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .ok()?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(&body);
    stream.write_all(request.as_bytes()).ok()?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).ok()?;
    let text = String::from_utf8(answer).ok()?;
    let (head, body) = text.split_once("\r\n\r\n")?;
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    Some((status, serde_json::from_str(body).unwrap_or(Value::Null)))
}

struct Server {
    child: Child,
    address: String,
}

impl Server {
    fn start(database: &str) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_halden"))
            .args([
                "serve",
                "--database",
                database,
                "--bind",
                "127.0.0.1:0",
                "--demo",
            ])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let address = loop {
            let line = lines
                .next()
                .expect("the server stopped before it printed its address")
                .unwrap();
            if let Some(rest) = line.strip_prefix("Halden is running at http://") {
                break rest.split('/').next().unwrap().to_string();
            }
        };
        // Keep draining what the server prints so it never blocks on a full pipe.
        thread::spawn(move || lines.for_each(drop));
        Server { child, address }
    }

    fn token(&self) -> String {
        let (status, body) = http(
            &self.address,
            "POST",
            "/api/v1/auth/login",
            &[],
            Some(&json!({"username": "placement", "password": "halden-demo"})),
        )
        .unwrap();
        assert_eq!(status, 200, "{body}");
        body["token"].as_str().unwrap().to_string()
    }

    fn kill(mut self) {
        // SIGKILL: no shutdown code runs, as in a power cut of the process.
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

fn registration(n: usize) -> Value {
    json!({"identity": {
        "temporary_id": format!("T-CRASH-{n:05}"),
        "family_name": "Krasjtest",
        "given_names": format!("Nummer {n}"),
        "birth_date": "1990-01-01",
        "sex": "male",
        "citizenship": "NO",
        "languages": ["nb"],
        "interpreter_needed": false,
        "home_municipality": "Oslo"
    }})
}

fn register(address: &str, token: &str, n: usize) -> Option<(u16, Value)> {
    let bearer = format!("Bearer {token}");
    let key = format!("crash-{n}");
    http(
        address,
        "POST",
        "/api/v1/persons",
        &[("Authorization", &bearer), ("Idempotency-Key", &key)],
        Some(&registration(n)),
    )
}

#[test]
fn a_killed_server_loses_no_acknowledged_write() {
    let path = std::env::temp_dir().join(format!("halden-crash-{}.sqlite", std::process::id()));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let database = format!("sqlite://{}", path.display());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // A small demo register, so the first start does not seed the national one.
    runtime.block_on(async {
        let store = Store::connect(&database).await.unwrap();
        store.migrate().await.unwrap();
        halden_web::demo::seed(
            &store,
            halden_storage::today_in_oslo(),
            halden_sim::demo::Scale::Small,
        )
        .await
        .unwrap();
    });

    let server = Server::start(&database);
    let token = server.token();
    let next = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let acknowledged: Arc<Mutex<Vec<(usize, i64)>>> = Arc::default();
    let clients: Vec<_> = (0..8)
        .map(|_| {
            let (address, token) = (server.address.clone(), token.clone());
            let (next, stop, acknowledged) = (next.clone(), stop.clone(), acknowledged.clone());
            thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    let n = next.fetch_add(1, Ordering::SeqCst);
                    match register(&address, &token, n) {
                        Some((201, body)) => {
                            let id = body["id"].as_i64().unwrap();
                            acknowledged.lock().unwrap().push((n, id));
                        }
                        Some((status, body)) => panic!("request {n}: {status} {body}"),
                        // Cut off by the kill: its fate is unknown to the client.
                        None => {}
                    }
                }
            })
        })
        .collect();
    // Kill in full flight: once a good number of writes were acknowledged.
    let started = Instant::now();
    while acknowledged.lock().unwrap().len() < 150 && started.elapsed() < Duration::from_secs(60) {
        thread::sleep(Duration::from_millis(5));
    }
    server.kill();
    stop.store(true, Ordering::SeqCst);
    for client in clients {
        client.join().unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    let attempted = next.load(Ordering::SeqCst);
    assert!(
        acknowledged.len() >= 150,
        "only {} writes were acknowledged before the kill",
        acknowledged.len()
    );
    assert!(
        attempted > acknowledged.len(),
        "the kill cut requests off in flight"
    );

    // Every acknowledged person is stored as sent.
    runtime.block_on(async {
        let store = Store::connect(&database).await.unwrap();
        for (n, id) in &acknowledged {
            let person = store
                .person(*id)
                .await
                .unwrap()
                .unwrap_or_else(|| panic!("acknowledged person {id} (request {n}) was lost"));
            assert_eq!(person.temporary_id, Some(format!("T-CRASH-{n:05}")));
        }
    });

    // Every request retried under its key: acknowledged ones replay, the others complete now.
    let server = Server::start(&database);
    let token = server.token();
    let mut ids = Vec::with_capacity(attempted);
    for n in 0..attempted {
        let (status, body) = register(&server.address, &token, n).unwrap();
        assert_eq!(status, 201, "retry of request {n}: {body}");
        let id = body["id"].as_i64().unwrap();
        if let Some((_, first)) = acknowledged.iter().find(|(m, _)| *m == n) {
            assert_eq!(id, *first, "request {n} replays its first answer");
        }
        ids.push(id);
    }
    server.kill();
    let mut distinct = ids.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(
        distinct.len(),
        attempted,
        "each request registered exactly one person"
    );
    runtime.block_on(async {
        let store = Store::connect(&database).await.unwrap();
        let mut registered = 0;
        loop {
            let page = store
                .persons(&PersonFilter {
                    search: Some("Krasjtest".into()),
                    limit: 1_000,
                    offset: registered,
                    ..PersonFilter::default()
                })
                .await
                .unwrap();
            if page.is_empty() {
                break;
            }
            registered += i64::try_from(page.len()).unwrap();
        }
        assert_eq!(
            registered,
            i64::try_from(attempted).unwrap(),
            "no request registered a person twice"
        );
    });
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}
