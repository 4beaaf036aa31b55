//! Indicator tables as CSV: a header row naming the columns (English or
//! Chinese, any order), then one row per indicator, all for one unit and
//! one month. Rows with an empty value are skipped (not reported).
//!
//! ```text
//! unit,month,indicator,value
//! 科技厅,2026-10,技术市场交易额,12.5
//! ```

use super::doc::{At, Fail, RawIndicators, RawValue, Scalar};
use super::{Reason, tree::SyntaxError};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Column {
    Unit,
    Month,
    Indicator,
    Value,
    /// A column kept for people (notes, the indicator's unit): ignored.
    Ignored,
}

fn column(name: &str) -> Option<Column> {
    let n = name.trim().trim_start_matches('\u{feff}').to_lowercase();
    Some(match n.as_str() {
        "unit" | "单位" | "填报单位" => Column::Unit,
        "month" | "月份" | "月" => Column::Month,
        "indicator" | "指标" | "指标名称" | "code" => Column::Indicator,
        "value" | "数值" | "值" | "完成值" => Column::Value,
        "note" | "备注" | "计量单位" | "measure" | "unit_of_measure" => Column::Ignored,
        _ => return None,
    })
}

/// Whether `text` looks like an indicator table: its first line is a header
/// whose first cell names a column.
pub fn looks_like_csv(text: &str) -> bool {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let Some(delim) = delimiter(first) else {
        return false;
    };
    let cell = first.split(delim as char).next().unwrap_or("").trim().trim_matches('"');
    column(cell).is_some()
}

fn delimiter(line: &str) -> Option<u8> {
    if line.contains(',') {
        Some(b',')
    } else if line.contains('\t') {
        Some(b'\t')
    } else {
        None
    }
}

/// Reads an indicator table.
pub fn read(text: &str) -> Result<RawIndicators, Result<Fail, SyntaxError>> {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delim = delimiter(first).unwrap_or(b',');
    let mut rd = csv::ReaderBuilder::new()
        .delimiter(delim)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut header: Option<Vec<Column>> = None;
    let mut unit: Option<At<String>> = None;
    let mut month: Option<At<String>> = None;
    let mut values = Vec::new();
    let mut rec = csv::StringRecord::new();
    loop {
        match rd.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let at = e.position().map(|p| p.byte() as usize).unwrap_or(0);
                return Err(Err(SyntaxError {
                    message: e.to_string(),
                    at,
                }));
            }
        }
        let base = rec.position().map(|p| p.byte() as usize).unwrap_or(0);
        let starts = field_starts(text, base, delim);
        let at = |i: usize| starts.get(i).copied().unwrap_or(base);
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let Some(cols) = &header else {
            let mut cols = Vec::new();
            for (i, c) in rec.iter().enumerate() {
                match column(c) {
                    Some(k) => cols.push(k),
                    None => return Err(Ok((Reason::CsvHeader { found: c.to_string() }, at(i)))),
                }
            }
            for need in [Column::Unit, Column::Month, Column::Indicator, Column::Value] {
                if !cols.contains(&need) {
                    let name = match need {
                        Column::Unit => "unit",
                        Column::Month => "month",
                        Column::Indicator => "indicator",
                        _ => "value",
                    };
                    return Err(Ok((Reason::Missing { field: name.into() }, base)));
                }
            }
            header = Some(cols);
            continue;
        };
        if rec.len() != cols.len() {
            return Err(Ok((
                Reason::CsvColumns {
                    expected: cols.len(),
                    found: rec.len(),
                },
                base,
            )));
        }
        let cell = |k: Column| {
            let i = cols.iter().position(|c| *c == k).unwrap_or(0);
            At::new(rec.get(i).unwrap_or("").trim().to_string(), at(i))
        };
        let (u, m, ind, val) = (
            cell(Column::Unit),
            cell(Column::Month),
            cell(Column::Indicator),
            cell(Column::Value),
        );
        for (seen, this, name) in [(&mut unit, u, "unit"), (&mut month, m, "month")] {
            match seen {
                None => *seen = Some(this),
                Some(s) if s.v != this.v => {
                    return Err(Ok((Reason::CsvMixed { field: name.into() }, this.at)));
                }
                Some(_) => {}
            }
        }
        if val.v.is_empty() {
            continue;
        }
        values.push(RawValue {
            indicator: ind,
            value: At::new(Scalar::Text(val.v), val.at),
        });
    }
    match (unit, month) {
        (Some(unit), Some(month)) if !values.is_empty() => Ok(RawIndicators { unit, month, values }),
        _ => Err(Ok((Reason::CsvNoRows, text.len()))),
    }
}

/// Byte offsets of the fields of the record starting at `base` (quotes
/// respected), so a refusal can point at the cell.
fn field_starts(text: &str, base: usize, delim: u8) -> Vec<usize> {
    let b = text.as_bytes();
    let mut out = vec![base];
    let mut quoted = false;
    let mut i = base;
    while i < b.len() {
        match b[i] {
            b'"' => quoted = !quoted,
            c if c == delim && !quoted => out.push(i + 1),
            b'\n' if !quoted => break,
            _ => {}
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_tables_by_their_header() {
        assert!(looks_like_csv("unit,month,indicator,value\n"));
        assert!(looks_like_csv("\u{feff}单位,月份,指标,数值\n"));
        assert!(looks_like_csv("\"单位\"\t\"月份\"\t指标\t数值\n"));
        assert!(!looks_like_csv("unit = \"a,b\"\n"));
        assert!(!looks_like_csv("{\"unit\": 1}"));
    }

    #[test]
    fn reads_rows_and_refuses_mixed_units() {
        let t = "单位,月份,指标,数值,备注\n科技厅,2026-10,技术市场交易额,12.5,\n科技厅,2026-10,专精特新,,未统计\n";
        let r = read(t).unwrap();
        assert_eq!(r.unit.v, "科技厅");
        assert_eq!(r.values.len(), 1);
        assert_eq!(&t[r.values[0].value.at..r.values[0].value.at + 4], "12.5");
        let mixed = "unit,month,indicator,value\nA,2026-10,x,1\nB,2026-10,y,2\n";
        let e = read(mixed).unwrap_err().unwrap();
        assert_eq!(e.0, Reason::CsvMixed { field: "unit".into() });
        assert_eq!(&mixed[e.1..e.1 + 1], "B");
        let bad = read("unit,month,indicator,colour\n").unwrap_err().unwrap();
        assert_eq!(bad.0, Reason::CsvHeader { found: "colour".into() });
        let short = read("unit,month,indicator,value\nA,2026-10,x\n").unwrap_err().unwrap();
        assert_eq!(short.0, Reason::CsvColumns { expected: 4, found: 3 });
        assert_eq!(
            read("unit,month,indicator,value\n").unwrap_err().unwrap().0,
            Reason::CsvNoRows
        );
    }
}
