//! Building blocks shared by pages.

pub mod attach;
pub mod cell_table;
pub mod cell_toolbar;
pub mod chart;
pub mod confirm;
pub mod day_or_month;
pub mod entry_sheet;
pub mod error_view;
pub mod export;
pub mod field_frame;
pub mod layout;
pub mod new_password;
pub mod picked;
pub mod reading_input;
pub mod request_fields;
pub mod scan;
pub mod script;
pub mod session_gate;
pub mod side_menu;
pub mod sync_status;
pub mod table;
pub mod thread;
pub mod top_bar;
pub mod user_box;
