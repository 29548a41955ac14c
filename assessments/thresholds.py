"""Which impacts and confidence levels the rules ask more of.

Rules, forms and the PDF depend on these keys, so they are fixed in code like the scales.
"""

from frameworks.scales import EvidenceConfidence, Impact

IMPACTS_NEEDING_ACTION = frozenset({Impact.NEGATIVE, Impact.SIGNIFICANT_NEGATIVE, Impact.UNKNOWN})
IMPACTS_NEEDING_JUSTIFICATION = frozenset({Impact.SIGNIFICANT_NEGATIVE})
IMPACTS_NEEDING_MITIGATION = frozenset({Impact.NEGATIVE, Impact.SIGNIFICANT_NEGATIVE})
CONFIDENCE_NEEDING_ACTION = frozenset({EvidenceConfidence.NONE})
