"""The prikbord: a printable A4 notice-board sheet per village."""
