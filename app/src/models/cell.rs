//! A table's cell, shared by the report pages (in the browser) and the files written on the
//! server (Excel, CSV, PDF).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One cell of a table as a file or a report holds it: typed, so Excel gets numbers and
/// dates, the page sorts figures by value, and the PDF lines figures up to the right.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Cell {
    Empty,
    Text(String),
    /// A figure shown with the digits it has (a reading keeps its fraction digits).
    Number(Decimal),
    Date(NaiveDate),
}

impl Cell {
    /// As the page and the PDF print it.
    pub fn shown(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Number(v) => crate::models::format::decimal(*v),
            Cell::Date(d) => crate::models::format::date(*d),
        }
    }

    /// Whether the cell is a figure, a partial one or a missing one (`1,77*`, `–*`): those
    /// line up to the right.
    pub fn is_figure(&self) -> bool {
        match self {
            Cell::Number(_) => true,
            Cell::Text(t) => t.ends_with('*'),
            _ => false,
        }
    }

    /// The figure a cell holds, a partial one (`1,77*`) too, so a column sorts by value.
    pub fn figure(&self) -> Option<Decimal> {
        match self {
            Cell::Number(v) => Some(*v),
            Cell::Text(t) => {
                let body: String = t.strip_suffix('*')?.chars().filter(|c| !c.is_whitespace()).collect();
                body.replace(',', ".").parse().ok()
            }
            _ => None,
        }
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<Option<Decimal>> for Cell {
    fn from(v: Option<Decimal>) -> Cell {
        v.map(Cell::Number).unwrap_or(Cell::Empty)
    }
}

impl From<Option<NaiveDate>> for Cell {
    fn from(v: Option<NaiveDate>) -> Cell {
        v.map(Cell::Date).unwrap_or(Cell::Empty)
    }
}

