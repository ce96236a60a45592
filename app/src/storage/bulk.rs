//! Many rows in few statements. SQLite takes a batch as prepared `INSERT … VALUES` lists of
//! 1, 2, 4 … 512 rows with positional `?` parameters: ten statement shapes serve every batch
//! and stay prepared. Named parameters (`$7680`) are looked up by name one at a time; the
//! same statement bound that way ran at 7 000 rows/s. PostgreSQL takes `COPY`'s text format.

use std::fmt::Write;

/// Rows per statement at most: 512 rows of up to 15 columns stay under SQLite's limit of
/// 32 766 parameters.
pub(crate) const MAX_ROWS: usize = 512;

/// The `VALUES` statements of one table, one per power of two up to [`MAX_ROWS`].
pub(crate) struct ValuesInsert {
    sql: Vec<String>,
}

impl ValuesInsert {
    /// `head` is `INSERT INTO table (columns)`, `tail` what follows the rows (a conflict
    /// clause, or nothing).
    pub(crate) fn new(head: &str, columns: usize, tail: &str) -> ValuesInsert {
        debug_assert!(columns * MAX_ROWS < 32_766);
        let row = format!("({})", vec!["?"; columns].join(","));
        let sql = (0..=MAX_ROWS.trailing_zeros())
            .map(|p| format!("{head} VALUES {} {tail}", vec![row.as_str(); 1 << p].join(",")))
            .collect();
        ValuesInsert { sql }
    }

    /// The statement for `rows` rows, a power of two from [`ValuesInsert::sizes`].
    pub(crate) fn sql(&self, rows: usize) -> &str {
        debug_assert!(rows.is_power_of_two() && rows <= MAX_ROWS);
        &self.sql[rows.trailing_zeros() as usize]
    }

    /// How a batch of `n` rows is cut into statements: whole ones of [`MAX_ROWS`], then the
    /// powers of two that make up the rest, largest first.
    pub(crate) fn sizes(n: usize) -> Vec<usize> {
        let mut sizes = vec![MAX_ROWS; n / MAX_ROWS];
        let rest = n % MAX_ROWS;
        sizes.extend(
            (0..MAX_ROWS.trailing_zeros())
                .rev()
                .map(|p| 1 << p)
                .filter(|size| rest & size != 0),
        );
        sizes
    }
}

/// Appends integer columns to a `COPY` text line, each followed by a tab, `\N` for none.
pub(crate) fn copy_integers(text: &mut String, values: &[Option<i64>]) {
    for v in values {
        match v {
            Some(v) => write!(text, "{v}\t").expect("a String takes any text"),
            None => text.push_str("\\N\t"),
        }
    }
}

/// Appends a text column to a `COPY` text line, escaped; `None` when PostgreSQL text cannot
/// hold it (a NUL character).
pub(crate) fn copy_text(text: &mut String, value: &str) -> Option<()> {
    for c in value.chars() {
        match c {
            '\\' => text.push_str("\\\\"),
            '\t' => text.push_str("\\t"),
            '\n' => text.push_str("\\n"),
            '\r' => text.push_str("\\r"),
            '\0' => return None,
            c => text.push(c),
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_is_cut_into_whole_statements_then_powers_of_two() {
        assert_eq!(ValuesInsert::sizes(0), Vec::<usize>::new());
        assert_eq!(ValuesInsert::sizes(1), vec![1]);
        assert_eq!(ValuesInsert::sizes(1100), vec![512, 512, 64, 8, 4]);
        for n in [0, 1, 511, 512, 513, 2500, 50_000] {
            assert_eq!(ValuesInsert::sizes(n).iter().sum::<usize>(), n);
        }
    }

    #[test]
    fn a_statement_has_a_row_of_marks_per_row() {
        let v = ValuesInsert::new("INSERT INTO t (a, b)", 2, "ON CONFLICT DO NOTHING");
        assert_eq!(v.sql(2), "INSERT INTO t (a, b) VALUES (?,?),(?,?) ON CONFLICT DO NOTHING");
    }

    #[test]
    fn copy_text_escapes_what_copy_reads_as_control() {
        let mut line = String::new();
        copy_integers(&mut line, &[Some(7), None]);
        assert!(copy_text(&mut line, "a\tb\\c").is_some());
        assert_eq!(line, "7\t\\N\ta\\tb\\\\c");
        assert!(copy_text(&mut String::new(), "nul\0").is_none());
    }
}
