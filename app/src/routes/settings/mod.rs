pub mod activation;
pub mod company;
pub mod users;
