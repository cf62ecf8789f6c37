"""What grading tells the apps above it, so that it never imports them (docs/architecture.md).

`result_announced` is sent inside `results_announce`'s transaction for each result the chair announces, with
`result=`. The appeals app opens the appeal window (R47) on it; a receiver that raises rolls the announcement back.
"""

from django.dispatch import Signal

result_announced = Signal()
