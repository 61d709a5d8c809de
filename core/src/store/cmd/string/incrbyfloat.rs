use crate::store::cmd::{arg, wrong_type, Command, Ctx};
use crate::store::config::notify;
use crate::store::keyspace::{Built, Value};
use crate::store::reply::Reply;
use crate::store::types::longdouble::LongDouble;

/// `INCRBYFLOAT key increment`: adds a float to the number at `key` (absent
/// counts as 0) and stores the result as a string, keeping the TTL.
///
/// Redis parses both with `strtold` (so `+1.5`, `1e3`, `inf` are numbers,
/// a leading space or trailing garbage is not), refuses a NaN or infinite
/// result, and prints with `%.17Lf` then trims trailing zeros (and the dot).
/// Redis computes in x86's 80-bit `long double`, and so does this (see
/// [`LongDouble`], shared with HINCRBYFLOAT): with an `f64`, `0.1` would
/// print as `0.10000000000000001`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncrByFloat {
    pub key: Vec<u8>,
    pub incr: Vec<u8>,
}

impl<'a> Command<'a> for IncrByFloat {
    fn parse(args: &'a [Vec<u8>]) -> Result<Self, Reply> {
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
            None => LongDouble::from_i64(0),
            Some(s) => match LongDouble::parse(s) {
                Ok(v) => v,
                Err(_) => return not_a_float(),
            },
        };
        let Ok(incr) = LongDouble::parse(&self.incr) else {
            return not_a_float();
        };
        // An infinite operand or sum (inf - inf included) is refused.
        let sum = value.plus(incr);
        if sum.is_inf() {
            return Reply::error("ERR increment would produce NaN or Infinity");
        }
        let text = sum.to_human().into_bytes();
        if current.is_some() {
            ctx.ks
                .replace_value(&self.key, Value::Str(text.clone()), now);
        } else {
            ctx.ks.set(&self.key, Value::Str(text.clone()), false, now);
        }
        ctx.ks.mark_built(&self.key, Built::FromFloat);
        ctx.ks.notify(notify::STRING, "incrbyfloat", &self.key);
        Reply::bulk(text)
    }
}

fn not_a_float() -> Reply {
    Reply::error("ERR value is not a valid float")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(a: &str, b: &str) -> String {
        let (Ok(a), Ok(b)) = (
            LongDouble::parse(a.as_bytes()),
            LongDouble::parse(b.as_bytes()),
        ) else {
            panic!("not floats: {a} {b}");
        };
        a.plus(b).to_human()
    }

    /// Sums as Redis prints them (`%.17Lf`, trailing zeros trimmed).
    #[test]
    fn long_double_sums_print_like_redis() {
        assert_eq!(show("0", "0.1"), "0.1");
        assert_eq!(show("0.1", "0.2"), "0.3");
        assert_eq!(show("1.1", "2.2"), "3.3");
        assert_eq!(
            show("0", "123456789.123456789"),
            "123456789.12345678899873747"
        );
        assert_eq!(show("10.5", "0.1"), "10.6");
        assert_eq!(show("1", "-1"), "0");
    }
}
