// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "activationtimeline.h"

#include <QTimer>
#include <QWidget>

namespace Feedscope::Ui {

// The monitor's timeline (issue G): events per second over the last minutes as stacked bars,
// one colour per busy trigger (the rest as "other"), 204 and 429 fires in their status colours
// on top, errors in red below the axis; time labels, a legend of the busiest triggers, a tooltip
// with the counts of the second under the pointer. Dragging over a span selects it
// (spanSelected, for the table's filter) and it stays drawn; a click without a drag, or Escape,
// clears it (spanCleared). Repaints at most four times a second however fast events come, and
// once a second to slide with the clock while shown.
//
// Fed with ActivationStream's batches through ingest(); the counting is ActivationTimeline's.
class TimelineView : public QWidget
{
    Q_OBJECT

public:
    static constexpr int repaintIntervalMs = 250;
    static constexpr int legendTriggers = 5;

    explicit TimelineView(QWidget *parent = nullptr);

    ActivationTimeline *timeline() const { return m_timeline; }
    void ingest(const QList<Feedscope::ActivationRecord> &records) { m_timeline->ingest(records); }
    void setWindowMinutes(int minutes) { m_timeline->setWindowSeconds(minutes * 60); }

    // The selected span (epoch ms, both ends inclusive), or none.
    bool hasSpan() const { return m_spanTo > 0; }
    qint64 spanFrom() const { return m_spanFrom; }
    qint64 spanTo() const { return m_spanTo; }
    // Selects a span without a drag (the lead's "show this moment"); no signal.
    void setSpan(qint64 fromMs, qint64 toMs);
    // Clears the span; spanCleared() when there was one.
    void clearSpan();

    // Where the bars are drawn, and the second at an x inside it (for tests and tooltips).
    QRect plotRect() const;
    qint64 secondAt(int x) const;
    int xOfSecond(qint64 second) const;
    // The tooltip text for a point: that second's counts per trigger.
    QString toolTipAt(const QPoint &pos) const;
    // What the accessible description says: the window's totals, the busiest, the span.
    QString summaryText() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void spanSelected(qint64 fromMs, qint64 toMs);
    void spanCleared();

protected:
    bool event(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void scheduleRepaint();
    void repaintNow();
    int legendHeight() const;
    int axisWidth() const;

    ActivationTimeline *m_timeline;
    QTimer m_repaintTimer;
    QTimer m_slideTimer;
    qint64 m_spanFrom = 0;
    qint64 m_spanTo = 0;
    // A press in the plot: where, and the second the drag started from.
    bool m_pressed = false;
    bool m_dragging = false;
    int m_pressX = 0;
    qint64 m_anchor = 0;
    qint64 m_current = 0;
};

} // namespace Feedscope::Ui
