"""Variables of the openfisca_pacte extension, one module per measure."""
