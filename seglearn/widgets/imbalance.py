"""``ImbalanceDemo``: the accuracy paradox - shrink the lesion, accuracy stays high, recall and Dice collapse."""
from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import numpy as np

from ..metrics import confusion_counts
from .painter import MaskPainter
from .readout import READOUT_CSS, error_box, format_value

__all__ = ["ImbalanceDemo", "lesion_scene", "LESION_AREAS"]

#: Lesion area as a percentage of the image, from large to tiny (the slider's stops).
LESION_AREAS = (20.0, 10.0, 5.0, 2.0, 1.0, 0.5, 0.2, 0.1)
_SIZE = 160
_COLUMNS = {"accuracy": "Accuracy", "recall": "Recall", "dice": "Dice", "precision": "Precision",
            "balanced_accuracy": "Balanced acc.", "mcc": "MCC"}


def lesion_scene(area_percent: float, *, size: int = _SIZE, margin: float = 3.0,
                 seed: int = 0) -> dict[str, np.ndarray]:
    """A synthetic scan with one round lesion and three predictions of it.

    Parameters
    ----------
    area_percent : float
        Lesion area as a percentage of the image (0 < area <= 50).
    size : int
        Image side in pixels.
    margin : float
        The timid model only marks lesion pixels at least this far (pixels) inside the border.
    seed : int
        Seed of the background texture.

    Returns
    -------
    dict
        ``image`` (float in [0, 1]), ``reference`` (bool) and the predictions ``all_background``
        (nothing), ``timid`` (the lesion's core only) and ``good`` (the lesion, shifted by one pixel).

    Examples
    --------
    >>> scene = lesion_scene(1.0)
    >>> int(scene["reference"].sum())   # 1% of 160 x 160
    256
    >>> bool(scene["all_background"].any())
    False
    """
    if not 0 < float(area_percent) <= 50:
        raise ValueError(f"area_percent must be in (0, 50], got {area_percent!r}")
    yy, xx = np.mgrid[0:size, 0:size]
    centre = (size / 2 - 0.5, size / 2 - 0.5)
    dist = np.hypot(yy - centre[0], xx - centre[1])
    # The n pixels nearest the centre (n = the requested area, exactly; equal distances are
    # taken in raster order), so the lesion has precisely the area the slider says.
    n_target = max(1, int(round(size * size * float(area_percent) / 100.0)))
    order = np.argsort(dist, axis=None, kind="stable")
    reference = np.zeros(size * size, dtype=bool)
    reference[order[:n_target]] = True
    reference = reference.reshape(size, size)
    radius = float(dist.reshape(-1)[order[n_target - 1]])
    rng = np.random.default_rng(seed)
    texture = rng.normal(0.0, 1.0, (size, size))
    from scipy.ndimage import gaussian_filter

    texture = gaussian_filter(texture, 3.0)
    texture = (texture - texture.min()) / (np.ptp(texture) or 1.0)
    image = np.clip(0.25 + 0.3 * texture + 0.35 * reference, 0.0, 1.0)
    shifted = np.roll(reference, 1, axis=1)
    return {
        "image": image,
        "reference": reference,
        "all_background": np.zeros_like(reference),
        "timid": dist <= radius - float(margin),
        "good": shifted,
    }


class ImbalanceDemo(widgets.VBox):
    """The accuracy paradox, interactively.

    A slider shrinks a lesion from 20% of the image to 0.1%. Three "models" are scored against
    it with :mod:`seglearn.metrics`: one that predicts nothing (all background), a timid one that
    only marks the lesion's core (3 px inside its border) and a good one (the lesion shifted by
    one pixel). Accuracy stays near 100% for the first two while recall and Dice collapse.

    Parameters
    ----------
    area : float, default 2.0
        Starting lesion area in percent (one of ``LESION_AREAS``).
    show : str, default "timid"
        The model drawn over the image ("all_background", "timid" or "good").

    Attributes
    ----------
    scores : dict
        ``{model: counts.metrics()}`` for the current lesion size.

    Examples
    --------
    >>> demo = ImbalanceDemo(area=0.5)
    >>> demo.scores["all_background"]["accuracy"] > 0.99, demo.scores["all_background"]["recall"]
    (True, 0.0)
    """

    MODELS = {"all_background": "all background", "timid": "timid (core only)", "good": "good (1 px shift)"}

    def __init__(self, area: float = 2.0, show: str = "timid") -> None:
        if area not in LESION_AREAS:
            raise ValueError(f"area must be one of {LESION_AREAS} (percent of the image), got {area!r}")
        if show not in self.MODELS:
            raise ValueError(f"show must be one of {sorted(self.MODELS)}, got {show!r}")
        scene = lesion_scene(area)
        self.scores: dict[str, dict[str, Any]] = {}
        self.slider = widgets.SelectionSlider(options=[(f"{a:g}%", a) for a in LESION_AREAS], value=area,
                                              description="lesion area", continuous_update=True,
                                              layout=widgets.Layout(width="420px"))
        self.slider.add_class("seglearn-area-slider")
        self.model_picker = widgets.ToggleButtons(options=[(v, k) for k, v in self.MODELS.items()], value=show,
                                                  description="show")
        self.painter = MaskPainter(scene["image"], scene["reference"], mask=scene[show], editable=False,
                                   show_outcome=True, zoom=2)
        self.readout = widgets.HTML(layout=widgets.Layout(margin="0 0 0 12px"))
        self.readout.add_class("seglearn-metrics")
        self.slider.observe(self._update, names="value")
        self.model_picker.observe(self._update, names="value")
        body = widgets.HBox([self.painter, self.readout],
                            layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start"))
        super().__init__([self.slider, self.model_picker, body])
        self.add_class("seglearn-imbalance-demo")
        self._update()

    @property
    def area(self) -> float:
        """Current lesion area in percent of the image."""
        return float(self.slider.value)

    @area.setter
    def area(self, value: float) -> None:
        self.slider.value = value

    def _update(self, _change: Any = None) -> None:
        try:
            scene = lesion_scene(self.area)
            ref = scene["reference"]
            self.scores = {m: confusion_counts(scene[m], ref).metrics() for m in self.MODELS}
            self.painter.reference = ref
            self.painter.mask = scene[self.model_picker.value]
            self.readout.value = READOUT_CSS + self._table(int(ref.sum()), ref.size)
        except Exception as exc:  # noqa: BLE001 - shown to the learner
            self.readout.value = READOUT_CSS + error_box(f"{type(exc).__name__}: {exc}")

    def _table(self, n_lesion: int, n_total: int) -> str:
        head = "".join(f"<th>{name}</th>" for name in _COLUMNS.values())
        rows = "".join(
            f'<tr data-model="{m}"><th>{label}</th>'
            + "".join(f'<td data-metric="{k}">{format_value(self.scores[m][k])}</td>' for k in _COLUMNS)
            + "</tr>"
            for m, label in self.MODELS.items()
        )
        acc = self.scores["all_background"]["accuracy"]
        return (f'<div>lesion: <span class="seglearn-lesion-pixels">{n_lesion}</span> of {n_total} pixels '
                f"({100 * n_lesion / n_total:g}%)</div>"
                f'<table class="seglearn-imbalance"><tr><th>model</th>{head}</tr>{rows}</table>'
                f'<div class="seglearn-note">Predicting nothing at all is {100 * acc:.1f}% accurate.</div>')
