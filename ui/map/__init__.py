"""The Bản đồ page's sections: the clickable tile map and its small multiples (clickable_map)."""
