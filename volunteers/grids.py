"""Finding the grid cell a point lies in (plain Python over every cell: a city has hundreds)."""

from .models import Grid


def grid_for_point(longitude, latitude, grids=None):
    """The cell containing the point: a polygon that holds it, else the circle whose centre is
    nearest among those that hold it; None when no cell does."""
    grids = list(grids if grids is not None else Grid.objects.all())
    for grid in grids:
        if grid.polygon and grid.contains(longitude, latitude):
            return grid
    circles = [g for g in grids if not g.polygon and g.contains(longitude, latitude)]
    return min(circles, key=lambda g: g.distance_to_center(longitude, latitude), default=None)
