"""Render: a resolved book through the theme's templates, for either edition."""
