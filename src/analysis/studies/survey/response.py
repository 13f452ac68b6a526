"""Who responded: respondents against all areas of the frame, on region, LA type, high needs
block per head and EHC plan rate.

Categorical characteristics: the share of respondents and of all areas in each category, and a
chi-square goodness-of-fit test of the respondents' counts against those expected from the frame
(scipy; small expected counts make it approximate, noted). Continuous ones: means of respondents
and of non-respondents, the standardised difference (difference in means over the pooled standard
deviation; above 0.2 in absolute value is commonly read as a notable imbalance) and Welch's t-test.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

CATEGORICAL = {"region_name": "Region", "la_type": "LA type"}
CONTINUOUS = {"hnb_per_head_2_18": "High needs block 2019-20 per person aged 2-18 (£)",
              "ehcp_per_1000": "EHC plans per 1,000 aged 0-25"}


def standardised_difference(a: np.ndarray, b: np.ndarray) -> float:
    """(mean(a) - mean(b)) / sqrt((var(a) + var(b)) / 2), sample variances."""
    pooled = np.sqrt((np.var(a, ddof=1) + np.var(b, ddof=1)) / 2)
    return float((np.mean(a) - np.mean(b)) / pooled)


def representativeness(frame: pd.DataFrame, respondents) -> pd.DataFrame:
    """One row per characteristic: respondents' and all areas' values, standardised difference
    (continuous), test, statistic and p-value. ``respondents``: the responding ``unit_code``s."""
    responded = frame["unit_code"].isin(set(respondents))
    rows = []
    for column, label in CATEGORICAL.items():
        observed = frame.loc[responded, column].value_counts().reindex(frame[column].unique(), fill_value=0)
        expected = frame[column].value_counts().reindex(observed.index) / len(frame) * responded.sum()
        chi2, p = stats.chisquare(observed.to_numpy(float), expected.to_numpy(float))
        gaps = (observed - expected).sort_values()
        rows.append({"characteristic": label, "respondents": f"most under-represented: {gaps.index[0]} "
                     f"({observed[gaps.index[0]]} of {expected[gaps.index[0]]:.1f} expected)",
                     "all_areas": f"{frame[column].nunique()} categories", "standardised_difference": np.nan,
                     "test": "chi-square goodness of fit" + (" (some expected counts < 5)"
                                                             if (expected < 5).any() else ""),
                     "statistic": float(chi2), "p_value": float(p)})
    for column, label in CONTINUOUS.items():
        yes = frame.loc[responded, column].dropna().to_numpy(float)
        no = frame.loc[~responded, column].dropna().to_numpy(float)
        t = stats.ttest_ind(yes, no, equal_var=False)
        rows.append({"characteristic": label, "respondents": f"{yes.mean():,.1f}",
                     "all_areas": f"{frame[column].mean():,.1f}",
                     "standardised_difference": standardised_difference(yes, no),
                     "test": "Welch t-test, respondents vs non-respondents",
                     "statistic": float(t.statistic), "p_value": float(t.pvalue)})
    return pd.DataFrame(rows)
