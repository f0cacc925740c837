"""Plain content types and pure logic: no Qt, no SQL."""
