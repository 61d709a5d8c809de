use super::longdouble::{self, Ld};
use crate::store::cmd::{arg, wrong_type, Command, Ctx};
use crate::store::{keyspace::Value, reply::Reply};

/// `INCRBYFLOAT key increment`: adds a float to the number at `key` (absent
/// counts as 0) and stores the result as a string, keeping the TTL.
///
/// Redis parses both with `strtold` (so `+1.5`, `1e3`, `inf` are numbers,
/// a leading space or trailing garbage is not), refuses a NaN or infinite
/// result, and prints with `%.17Lf` then trims trailing zeros (and the dot).
/// Redis computes in x86's 80-bit `long double`, and so does this (see
/// [`longdouble`]): with an `f64`, `0.1` would print as `0.10000000000000001`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncrByFloat {
    pub key: Vec<u8>,
    pub incr: Vec<u8>,
}

impl Command for IncrByFloat {
    fn parse(args: &[Vec<u8>]) -> Result<Self, Reply> {
        Ok(IncrByFloat {
            key: arg(args, 1),
            incr: arg(args, 2),
        })
    }

    fn apply(self, ctx: &mut Ctx) -> Reply {
        let now = ctx.now;
        let current = match ctx.ks.lookup_write(&self.key, now) {
            None => None,
            Some(e) => match e.value.as_str() {
                None => return wrong_type(),
                Some(s) => Some(s.to_vec()),
            },
        };
        let value = match &current {
            None => Ld::Finite {
                neg: false,
                m: 0,
                e: 0,
            },
            Some(s) => match longdouble::parse(s) {
                Some(v) => v,
                None => return not_a_float(),
            },
        };
        let Some(incr) = longdouble::parse(&self.incr) else {
            return not_a_float();
        };
        let sum = match longdouble::add(value, incr) {
            Some(sum @ Ld::Finite { .. }) => sum,
            _ => return Reply::error("ERR increment would produce NaN or Infinity"),
        };
        let text = format_human(sum).into_bytes();
        if current.is_some() {
            ctx.ks
                .replace_value(&self.key, Value::Str(text.clone()), now);
        } else {
            ctx.ks.set(&self.key, Value::Str(text.clone()), false, now);
        }
        Reply::bulk(text)
    }
}

fn not_a_float() -> Reply {
    Reply::error("ERR value is not a valid float")
}

/// `%.17Lf`, then trailing zeros and a trailing dot removed, and "-0" → "0".
pub fn format_human(v: Ld) -> String {
    let mut s = longdouble::format_fixed17(v);
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    if s == "-0" {
        s = "0".into();
    }
    s
}
