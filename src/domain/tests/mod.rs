//! Tests across the parsers of `domain/` and the other modules that read what people type.

mod no_panic;
