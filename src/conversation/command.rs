//! Commands as people type them: `/name args`, `/name@bot args`, with full-width signs read; the
//! same on every channel.

/// A command addressed to this bot: its name (lower case, without `/`) and the rest of the
/// line, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub name: String,
    pub args: String,
}

impl Command {
    /// The arguments split on white space.
    pub fn words(&self) -> Vec<&str> {
        self.args.split_whitespace().collect()
    }

    /// The first `n` words, then the rest of the line as one (for a reason or a subject).
    pub fn split(&self, n: usize) -> (Vec<&str>, &str) {
        let mut rest = self.args.trim_start();
        let mut words = Vec::new();
        while words.len() < n {
            match rest.split_once(char::is_whitespace) {
                Some((word, tail)) => {
                    words.push(word);
                    rest = tail.trim_start();
                }
                None if !rest.is_empty() => {
                    words.push(rest);
                    rest = "";
                }
                None => break,
            }
        }
        (words, rest.trim())
    }
}

/// Reads a command from a message's text; none when the text is not a command or names another
/// bot (`/score@other_bot` in a group). A full-width `／` counts as `/`.
pub fn parse_command(text: &str, bot_username: Option<&str>) -> Option<Command> {
    let text = text.trim_start();
    let body = text.strip_prefix('/').or_else(|| text.strip_prefix('／'))?;
    let (head, args) = match body.split_once(char::is_whitespace) {
        Some((head, args)) => (head, args.trim()),
        None => (body, ""),
    };
    let (name, addressee) = match head.split_once('@') {
        Some((name, bot)) => (name, Some(bot)),
        None => (head, None),
    };
    if let (Some(to), Some(me)) = (addressee, bot_username) {
        if !to.eq_ignore_ascii_case(me) {
            return None;
        }
    }
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    Some(Command {
        name: name.to_ascii_lowercase(),
        args: args.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(name: &str, args: &str) -> Option<Command> {
        Some(Command {
            name: name.into(),
            args: args.into(),
        })
    }

    #[test]
    fn a_command_has_a_name_and_the_rest_of_the_line() {
        assert_eq!(parse_command("/start abc123", None), cmd("start", "abc123"));
        assert_eq!(parse_command("  /Score  ", None), cmd("score", ""));
        assert_eq!(
            parse_command("/return 12  写得不够具体 请补充", None),
            cmd("return", "12  写得不够具体 请补充")
        );
        assert_eq!(parse_command("／help", None), cmd("help", ""));
    }

    #[test]
    fn a_command_for_another_bot_or_plain_text_is_not_ours() {
        assert_eq!(
            parse_command("/score@union_bot", Some("Union_Bot")),
            cmd("score", "")
        );
        assert_eq!(parse_command("/score@other_bot", Some("union_bot")), None);
        assert_eq!(parse_command("hello /score", None), None);
        assert_eq!(parse_command("/", None), None);
        assert_eq!(parse_command("/职工", None), None);
        assert_eq!(parse_command("/ 12", None), None);
    }

    #[test]
    fn arguments_split_into_words_and_a_rest() {
        let c = parse_command("/veto D01 late 紧急信息 迟报两小时", None).unwrap();
        assert_eq!(c.split(2), (vec!["D01", "late"], "紧急信息 迟报两小时"));
        assert_eq!(c.words().len(), 4);
        let c = parse_command("/return 12", None).unwrap();
        assert_eq!(c.split(1), (vec!["12"], ""));
        assert_eq!(c.split(3), (vec!["12"], ""));
    }
}
