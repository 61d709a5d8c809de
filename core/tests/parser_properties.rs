//! Property tests: user-typed input never panics the store or the splitter,
//! and quoting for display round-trips through the splitter.

use playground_core::store::args::{join_args, split_args};
use playground_core::store::{Origin, Store};
use proptest::prelude::*;

fn arg_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..20),
        "[a-zA-Z0-9 :\"'\\\\]{0,12}".prop_map(String::into_bytes),
        prop::sample::select(vec![
            "SET",
            "GET",
            "EX",
            "PX",
            "NX",
            "XX",
            "GET",
            "KEEPTTL",
            "INCR",
            "-1",
            "0",
            "9223372036854775807"
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn splitting_any_line_never_panics(line in any::<String>()) {
        let _ = split_args(&line);
    }

    #[test]
    fn quoted_args_split_back_to_themselves(args in proptest::collection::vec(arg_bytes(), 1..6)) {
        let args: Vec<Vec<u8>> = args.into_iter().map(|a| a.into_iter().filter(|&b| b != 0).collect()).collect();
        let line = join_args(&args);
        prop_assert_eq!(split_args(&line).unwrap(), args);
    }

    #[test]
    fn executing_any_arguments_never_panics(
        name in prop::sample::select(vec!["GET", "SET", "DEL", "INCR", "DECR", "INCRBY", "DECRBY", "TTL", "PTTL", "EXISTS", "PING", "nope"]),
        rest in proptest::collection::vec(arg_bytes(), 0..7),
        now in 0u64..100_000,
    ) {
        let mut store = Store::new();
        let mut args = vec![name.as_bytes().to_vec()];
        args.extend(rest);
        let first = store.execute(now, Origin::Console, &args);
        let _ = store.execute(now + 1, Origin::Console, &args);
        let _ = first.to_cli();
    }
}
