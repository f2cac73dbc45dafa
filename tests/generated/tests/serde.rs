//! Types generated with `Builder::serde(true)` go to JSON and back through serde.

use rift_generated_tests::with_serde::{constants, recursion, services};

fn json_round_trip<T>(value: &T) -> serde_json::Value
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let text = serde_json::to_string(value).unwrap();
    let back: T = serde_json::from_str(&text).unwrap();
    assert_eq!(&back, value, "{text}");
    serde_json::from_str(&text).unwrap()
}

#[test]
fn generated_types_serialize_with_serde() {
    let defaults = constants::Defaults::default();
    let json = json_round_trip(&defaults);
    assert_eq!(json["count"], 10);
    assert_eq!(json["name"], "unnamed");
    assert_eq!(json["id"], "00112233-4455-6677-8899-aabbccddeeff");
    assert_eq!(json["weights"]["b"], 2);
    assert_eq!(json["nickname"], "nick");

    let tree = recursion::Tree {
        value: 1,
        children: vec![recursion::Tree { value: 2, ..Default::default() }],
        parent: None,
        sibling: Some(Box::new(recursion::Tree { value: 3, ..Default::default() })),
    };
    assert_eq!(json_round_trip(&tree)["children"][0]["value"], 2);

    let expr = recursion::Expr::Sum(vec![
        recursion::Expr::Number(1),
        recursion::Expr::Negate(Box::new(recursion::Expr::Number(2))),
    ]);
    json_round_trip(&expr);

    let request = services::Request { seq: 7, user: "ann".into(), flag: Some(true), items: Vec::new() };
    assert_eq!(json_round_trip(&request)["user"], "ann");
}
