"""The Chỉ số nội dung page's sections: what it takes in the dimension and its parts (dimension_targets);
sub-dimensions with CI whiskers and indicators (subdimensions)."""
