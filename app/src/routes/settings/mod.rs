pub mod company;
pub mod users;
