"""Chart geometry: bars in proportion, and every label inside the drawing, whatever the numbers."""
import pytest

from web.charts import hours_chart, score_chart, stack_chart


def entry(rank, name, score, burden, eligible=True):
    return {"rank": rank, "service": f"s{rank}", "name": name, "score": score, "eligible": eligible,
            "burden_hours_per_month": burden}


def assert_labels_fit(chart):
    for text in chart.texts:
        width = 0.62 * text.size * len(text.text)  # a generous estimate for DejaVu Sans
        left = {"start": text.x, "middle": text.x - width / 2, "end": text.x - width}[text.anchor]
        assert 0 <= left and left + width <= chart.width, text
    for rect in chart.rects + chart.striped:
        assert 0 <= rect.x and rect.x + rect.width <= chart.width + 0.01 and rect.width >= 0


RANKINGS = [
    [entry(1, "AWS Fargate (Amazon ECS)", 94.9, 34), entry(2, "AWS Lambda", 100.0, 31, eligible=False)],
    [entry(1, "Amazon ECS on EC2", 0.0, 0), entry(2, "Amazon EC2", 45.5, 99_999)],
]


@pytest.mark.parametrize("ranking", RANKINGS)
@pytest.mark.parametrize("capacity", [0, 20, 100_000])
def test_every_label_stays_inside_the_score_and_hours_charts(ranking, capacity):
    assert_labels_fit(score_chart(ranking))
    assert_labels_fit(hours_chart(ranking, capacity))


def test_bars_are_in_proportion_and_hours_beyond_capacity_are_drawn_apart():
    chart = hours_chart([entry(1, "A", 50, 30), entry(2, "B", 40, 10)], capacity=20)
    within_a, over_a, within_b = chart.rects
    assert within_a.width == pytest.approx(2 * within_b.width)
    assert over_a.x == pytest.approx(within_a.x + within_a.width) and over_a.width == pytest.approx(within_b.width)
    assert over_a.fill != within_a.fill
    scores = score_chart([entry(1, "A", 80, 1), entry(2, "B", 40, 1)])
    assert scores.rects[0].width == pytest.approx(2 * scores.rects[1].width)


def test_the_stack_puts_the_team_above_the_line_and_aws_below():
    layers = [{"id": l, "name": l.title(), "position": i} for i, l in enumerate(["hardware", "os", "data", "code"])]
    column = {"hardware": {"owner": "aws"}, "os": {"owner": "aws"}, "data": {"owner": "shared"},
              "code": {"owner": "customer"}}
    chart = stack_chart({"id": "x", "name": "X"}, layers, column, {"code": 10, "data": 2})
    names = [t.text for t in chart.texts if t.anchor == "start"]
    assert names == ["Code", "Data", "Os", "Hardware"]
    (line,) = chart.lines
    aws_top = min(r.y for r in chart.rects if r.fill == chart.rects[-1].fill)
    assert max(r.y for r in chart.striped) < line.y1 <= aws_top
    assert "Team · 10 h" in [t.text for t in chart.texts] and "Shared · 2 h" in [t.text for t in chart.texts]
    assert_labels_fit(chart)


def test_the_pdf_sets_each_evenly_spaced_column_of_labels_as_one_block_in_order():
    layers = [{"id": l, "name": l.title(), "position": i} for i, l in enumerate(["hardware", "os", "data", "code"])]
    column = {"hardware": {"owner": "aws"}, "os": {"owner": "aws"}, "data": {"owner": "shared"},
              "code": {"owner": "customer"}}
    names, owners = stack_chart({"id": "x", "name": "X"}, layers, column, {"code": 10, "data": 2}).labels()
    assert names.text.split("\n") == ["Code", "Data", "Os", "Hardware"] and not names.bold
    assert owners.text.split("\n") == ["Team · 10 h", "Shared · 2 h", "AWS", "AWS"] and owners.bold
    assert "text-align:left" in names.style and "text-align:right" in owners.style


def test_the_pdf_keeps_every_label_of_the_hours_chart_where_the_drawing_has_it():
    chart = hours_chart([entry(1, "A", 50, 30), entry(2, "B", 40, 10)], capacity=20)
    labels = chart.labels()
    assert sorted(line for label in labels for line in label.text.split("\n")) == sorted(t.text for t in chart.texts)
    names = next(label for label in labels if label.text == "1. A\n2. B")
    assert "text-align:right" in names.style
    values = [label for label in labels if label.bold]
    assert [label.text for label in values] == ["30 h (10 over)", "10 h", "the team has 20 h"]
    lefts = [float(label.style.split("left:")[1].split("%")[0]) for label in values[:2]]
    assert lefts[0] > lefts[1]  # the longer bar's value sits further right
