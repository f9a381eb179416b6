"""The Chỉ số nội dung page's sections: sub-dimensions with CI whiskers and indicators (subdimensions)."""
