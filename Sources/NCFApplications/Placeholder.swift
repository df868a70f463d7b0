// Applications built on the toolkit (colour transfer, …).
