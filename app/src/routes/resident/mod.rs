pub mod premises;
