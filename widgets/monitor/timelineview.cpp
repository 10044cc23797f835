// SPDX-License-Identifier: GPL-3.0-or-later
#include "timelineview.h"

#include "common/theme.h"

#include <QApplication>
#include <QDateTime>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <cmath>

namespace Feedscope::Ui {

namespace {

// Bars at least this wide; past it several seconds share a bar.
constexpr int minBarWidth = 2;
// Share of the plot's height above the axis (events); errors use the rest, below it.
constexpr double eventsShare = 0.72;

QString clockText(qint64 second, bool withSeconds = true)
{
    return QDateTime::fromSecsSinceEpoch(second).toString(withSeconds ? QStringLiteral("HH:mm:ss")
                                                                      : QStringLiteral("HH:mm"));
}

// 1, 2, 5, 10, 20, 50, ...: the smallest at or above `value`, for an axis that reads easily.
int niceCeiling(int value)
{
    int step = 1;
    for (;;) {
        for (const int m : {1, 2, 5}) {
            if (step * m >= value)
                return step * m;
        }
        step *= 10;
    }
}

QString plural(int n, const QString &one, const QString &many)
{
    return QString::number(n) + u' ' + (n == 1 ? one : many);
}

// One bar: each legend trigger's plain events, the others', the 204 and 429 fires, the errors.
struct Bar
{
    qint64 first = 0;  // seconds [first, first + span)
    QList<int> events; // per legend trigger, then "other" last
    int noRule = 0;
    int throttled = 0;
    int errors = 0;
    int total() const
    {
        int sum = noRule + throttled;
        for (const int e : events)
            sum += e;
        return sum;
    }
};

} // namespace

TimelineView::TimelineView(QWidget *parent)
    : QWidget(parent)
    , m_timeline(new ActivationTimeline(this))
{
    setObjectName(QStringLiteral("monitorTimeline"));
    setAccessibleName(tr("Activation timeline"));
    setAccessibleDescription(summaryText());
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    m_repaintTimer.setSingleShot(true);
    m_repaintTimer.setInterval(repaintIntervalMs);
    connect(&m_repaintTimer, &QTimer::timeout, this, &TimelineView::repaintNow);
    m_slideTimer.setInterval(1000);
    connect(&m_slideTimer, &QTimer::timeout, this, &TimelineView::scheduleRepaint);
    connect(m_timeline, &ActivationTimeline::changed, this, &TimelineView::scheduleRepaint);
}

QSize TimelineView::sizeHint() const
{
    return {720, 170};
}

QSize TimelineView::minimumSizeHint() const
{
    return {240, 110};
}

void TimelineView::scheduleRepaint()
{
    if (!m_repaintTimer.isActive())
        m_repaintTimer.start();
}

void TimelineView::repaintNow()
{
    update();
    const QString description = summaryText();
    if (description != accessibleDescription())
        setAccessibleDescription(description);
}

void TimelineView::showEvent(QShowEvent *event)
{
    m_slideTimer.start();
    QWidget::showEvent(event);
}

void TimelineView::hideEvent(QHideEvent *event)
{
    m_slideTimer.stop();
    QWidget::hideEvent(event);
}

void TimelineView::setSpan(qint64 fromMs, qint64 toMs)
{
    m_spanFrom = qMin(fromMs, toMs);
    m_spanTo = qMax(fromMs, toMs);
    repaintNow();
}

void TimelineView::clearSpan()
{
    if (!hasSpan())
        return;
    m_spanFrom = m_spanTo = 0;
    repaintNow();
    Q_EMIT spanCleared();
}

int TimelineView::legendHeight() const
{
    return fontMetrics().height() + 8;
}

int TimelineView::axisWidth() const
{
    return fontMetrics().horizontalAdvance(QStringLiteral("00000")) + 8;
}

QRect TimelineView::plotRect() const
{
    const int bottom = fontMetrics().height() + 6;
    return rect().adjusted(axisWidth(), legendHeight(), -8, -bottom);
}

qint64 TimelineView::secondAt(int x) const
{
    const QRect plot = plotRect();
    const int n = m_timeline->windowSeconds();
    const double offset = double(x - plot.left()) * n / qMax(1, plot.width());
    return qBound(m_timeline->firstSecond(),
                  m_timeline->firstSecond() + qint64(std::floor(offset)),
                  m_timeline->lastSecond());
}

int TimelineView::xOfSecond(qint64 second) const
{
    const QRect plot = plotRect();
    const double offset
        = double(second - m_timeline->firstSecond()) * plot.width() / m_timeline->windowSeconds();
    return plot.left() + int(std::lround(offset));
}

QString TimelineView::toolTipAt(const QPoint &pos) const
{
    const QRect plot = plotRect();
    if (pos.x() < plot.left() || pos.x() > plot.right())
        return {};
    const qint64 second = secondAt(pos.x());
    const ActivationTimeline::Counts total = m_timeline->total(second);
    QStringList lines{clockText(second) + u"  " + plural(total.events, tr("event"), tr("events"))
                      + u" · " + plural(total.errors, tr("error"), tr("errors"))};
    QList<ActivationTimeline::Series> series = m_timeline->seriesAt(second);
    std::sort(series.begin(), series.end(), [](const auto &a, const auto &b) {
        return a.counts.events != b.counts.events ? a.counts.events > b.counts.events
                                                  : a.trigger < b.trigger;
    });
    for (const auto &s : std::as_const(series)) {
        QString line = (s.trigger.isEmpty() ? tr("(no trigger)") : s.trigger) + u": ";
        QStringList parts;
        if (s.counts.events)
            parts.append(plural(s.counts.events, tr("event"), tr("events")));
        if (s.counts.noRule)
            parts.append(tr("%1 answered 204").arg(s.counts.noRule));
        if (s.counts.throttled)
            parts.append(tr("%1 answered 429").arg(s.counts.throttled));
        if (s.counts.errors)
            parts.append(plural(s.counts.errors, tr("error"), tr("errors")));
        lines.append(line + parts.join(QStringLiteral(", ")));
    }
    return lines.join(u'\n');
}

QString TimelineView::summaryText() const
{
    const int minutes = qMax(1, m_timeline->windowSeconds() / 60);
    const ActivationTimeline::Counts total = m_timeline->windowTotal();
    QString text = tr("Events per second over the last %1: %2, %3.")
                       .arg(plural(minutes, tr("minute"), tr("minutes")),
                            plural(total.events, tr("event"), tr("events")),
                            plural(total.errors, tr("error"), tr("errors")));
    QStringList busiest;
    for (const auto &s : m_timeline->busiest(3))
        busiest.append(s.trigger + u' ' + QString::number(s.counts.events));
    if (!busiest.isEmpty())
        text += u' ' + tr("Busiest: %1.").arg(busiest.join(QStringLiteral(", ")));
    if (hasSpan()) {
        text += u' '
                + tr("Selected %1 to %2.")
                      .arg(clockText(m_spanFrom / 1000), clockText(m_spanTo / 1000));
    }
    return text;
}

bool TimelineView::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto *help = static_cast<QHelpEvent *>(event);
        const QString text = toolTipAt(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}

void TimelineView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    const QPalette &pal = palette();
    p.fillRect(rect(), pal.color(QPalette::Base));
    const QRect plot = plotRect();
    if (plot.width() < 10 || plot.height() < 10)
        return;
    const QFontMetrics fm = fontMetrics();
    const QColor muted = Theme::color(Theme::Role::Muted, pal);
    // The monitor's status colours (the table's and the flow view's): errors red, 204 amber,
    // 429 purple.
    const QColor errorColor = Theme::color(Theme::Role::Error, pal);
    const QColor noRuleColor = Theme::color(Theme::Role::Warning, pal);
    const QColor throttledColor = Theme::color(Theme::Role::Feed, pal);
    QColor otherColor = muted;
    otherColor.setAlphaF(0.45f);

    // The busiest triggers get their own colour; a trigger keeps it while it stays among them.
    const QList<ActivationTimeline::Series> busiest = m_timeline->busiest();
    QHash<QString, int> legendIndex;
    for (int i = 0; i < qMin(legendTriggers, int(busiest.size())); ++i)
        legendIndex.insert(busiest[i].trigger, i);
    const int others = int(legendIndex.size()); // index of the "other" series
    const bool hasOthers = busiest.size() > legendTriggers;

    // Bars, aligned to whole multiples of their span so they do not shift as time passes.
    const int window = m_timeline->windowSeconds();
    const qint64 first = m_timeline->firstSecond();
    const qint64 last = m_timeline->lastSecond();
    const int span = qMax(1, int(std::ceil(double(window) * minBarWidth / plot.width())));
    QList<Bar> bars;
    int maxEvents = 0;
    int maxErrors = 0;
    for (qint64 start = (first / span) * span; start <= last; start += span) {
        Bar bar;
        bar.first = start;
        bar.events = QList<int>(others + 1, 0);
        for (qint64 s = qMax(start, first); s < start + span && s <= last; ++s) {
            for (const auto &series : m_timeline->seriesAt(s)) {
                const auto &c = series.counts;
                bar.noRule += c.noRule;
                bar.throttled += c.throttled;
                bar.errors += c.errors;
                const int plain = c.events - c.noRule - c.throttled;
                if (plain > 0)
                    bar.events[legendIndex.value(series.trigger, others)] += plain;
            }
        }
        maxEvents = qMax(maxEvents, bar.total());
        maxErrors = qMax(maxErrors, bar.errors);
        bars.append(bar);
    }
    const int eventScale = niceCeiling(qMax(1, maxEvents));
    const int errorScale = niceCeiling(qMax(1, maxErrors));
    const int baseline = plot.top() + int(plot.height() * eventsShare);
    const double eventPx = double(baseline - plot.top()) / eventScale;
    const double errorPx = double(plot.bottom() - baseline) / errorScale;

    // Grid and axes.
    QColor grid = pal.color(QPalette::Text);
    grid.setAlphaF(0.12f);
    p.setPen(grid);
    p.drawLine(plot.left(), plot.top(), plot.right(), plot.top());
    p.drawLine(plot.left(), (plot.top() + baseline) / 2, plot.right(), (plot.top() + baseline) / 2);
    p.setPen(muted);
    p.drawLine(plot.left(), baseline, plot.right(), baseline);
    const QString perBar = span == 1 ? tr("/s") : tr("/%1 s").arg(span);
    const QRect yLabels(0, plot.top() - fm.height() / 2, plot.left() - 4, fm.height());
    p.drawText(yLabels, Qt::AlignRight | Qt::AlignVCenter, QString::number(eventScale));
    p.drawText(yLabels.translated(0, baseline - plot.top()),
               Qt::AlignRight | Qt::AlignVCenter,
               QStringLiteral("0"));
    if (maxErrors > 0) {
        p.setPen(errorColor);
        p.drawText(yLabels.translated(0, plot.bottom() - plot.top() - fm.height() / 2),
                   Qt::AlignRight | Qt::AlignBottom,
                   QString::number(errorScale));
    }

    // Time labels at round clock times, as far apart as their text needs.
    const int labelWidth = fm.horizontalAdvance(QStringLiteral("00:00:00")) + 16;
    int step = window;
    for (const int candidate : {5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600}) {
        if (double(candidate) * plot.width() / window >= labelWidth) {
            step = candidate;
            break;
        }
    }
    p.setPen(muted);
    for (qint64 s = ((first + step - 1) / step) * step; s <= last; s += step) {
        const int x = xOfSecond(s);
        p.drawLine(x, baseline, x, baseline + 3);
        const QRect label(x - labelWidth / 2, plot.bottom() + 3, labelWidth, fm.height());
        if (label.left() >= 0 && label.right() <= width())
            p.drawText(label, Qt::AlignHCenter | Qt::AlignTop, clockText(s, step % 60 != 0));
    }

    // Bars.
    p.setPen(Qt::NoPen);
    for (const Bar &bar : std::as_const(bars)) {
        const int x0 = qMax(plot.left(), xOfSecond(bar.first));
        const int x1 = qMin(plot.right() + 1, xOfSecond(bar.first + span));
        const int w = qMax(1, x1 - x0 - (x1 - x0 > 3 ? 1 : 0));
        double y = baseline;
        const auto stack = [&](int count, const QColor &color) {
            if (count <= 0)
                return;
            const double h = count * eventPx;
            p.fillRect(QRectF(x0, y - h, w, h), color);
            y -= h;
        };
        for (int i = 0; i < others; ++i)
            stack(bar.events[i], Theme::seriesColor(i, pal));
        stack(bar.events[others], otherColor);
        stack(bar.noRule, noRuleColor);
        stack(bar.throttled, throttledColor);
        if (bar.errors > 0)
            p.fillRect(QRectF(x0, baseline + 1, w, bar.errors * errorPx), errorColor);
    }

    // The selected span (or the one being dragged).
    qint64 selFrom = 0, selTo = 0;
    if (m_dragging) {
        selFrom = qMin(m_anchor, m_current);
        selTo = qMax(m_anchor, m_current) + 1;
    } else if (hasSpan()) {
        selFrom = m_spanFrom / 1000;
        selTo = m_spanTo / 1000 + 1;
    }
    if (selTo > selFrom && selTo > first && selFrom <= last) {
        const int x0 = qMax(plot.left(), xOfSecond(selFrom));
        const int x1 = qMin(plot.right(), xOfSecond(selTo));
        QColor fill = Theme::color(Theme::Role::Accent, pal);
        fill.setAlphaF(0.18f);
        p.fillRect(QRect(x0, plot.top(), qMax(1, x1 - x0), plot.height()), fill);
        fill.setAlphaF(0.9f);
        p.setPen(fill);
        p.drawLine(x0, plot.top(), x0, plot.bottom());
        p.drawLine(x1, plot.top(), x1, plot.bottom());
    }

    // Legend: the busiest triggers with their totals, then what the other colours mean.
    struct Entry
    {
        QColor color;
        QString text;
    };
    QList<Entry> legend;
    for (int i = 0; i < others; ++i)
        legend.append({Theme::seriesColor(i, pal),
                       busiest[i].trigger + u' ' + QString::number(busiest[i].counts.events)});
    if (hasOthers)
        legend.append({otherColor, tr("other")});
    legend.append({noRuleColor, tr("204 no rule")});
    legend.append({throttledColor, tr("429")});
    legend.append({errorColor, tr("errors")});
    int x = plot.left();
    const int box = fm.height() - 6;
    for (const Entry &e : std::as_const(legend)) {
        const QString text = fm.elidedText(e.text, Qt::ElideMiddle, 160);
        const int w = box + 4 + fm.horizontalAdvance(text) + 12;
        if (x + w > plot.right() - 84) // the unit label's room
            break;
        p.fillRect(QRect(x, 4 + (fm.height() - box) / 2, box, box), e.color);
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QRect(x + box + 4, 4, w, fm.height()), Qt::AlignLeft | Qt::AlignVCenter, text);
        x += w;
    }
    p.setPen(muted);
    p.drawText(QRect(plot.right() - 80, 4, 80, fm.height()),
               Qt::AlignRight | Qt::AlignVCenter,
               tr("events") + perBar);

    if (maxEvents == 0 && maxErrors == 0) {
        p.setPen(muted);
        p.drawText(
            plot, Qt::AlignCenter, tr("No events in the last %1 min").arg(qMax(1, window / 60)));
    }
    if (hasFocus()) {
        QColor focus = Theme::color(Theme::Role::Accent, pal);
        p.setPen(focus);
        p.setBrush(Qt::NoBrush);
        p.drawRect(rect().adjusted(0, 0, -1, -1));
    }
}

void TimelineView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        QWidget::mousePressEvent(event);
        return;
    }
    const int x = int(event->position().x());
    m_pressed = true;
    m_dragging = false;
    m_pressX = x;
    m_anchor = m_current = secondAt(x);
}

void TimelineView::mouseMoveEvent(QMouseEvent *event)
{
    if (!m_pressed)
        return;
    const int x = int(event->position().x());
    if (!m_dragging && std::abs(x - m_pressX) >= QApplication::startDragDistance())
        m_dragging = true;
    if (m_dragging) {
        m_current = secondAt(x);
        update(); // direct feedback under the pointer, not the coalesced live repaint
    }
}

void TimelineView::mouseReleaseEvent(QMouseEvent *event)
{
    if (!m_pressed || event->button() != Qt::LeftButton) {
        QWidget::mouseReleaseEvent(event);
        return;
    }
    m_pressed = false;
    if (!m_dragging) {
        clearSpan();
        return;
    }
    m_dragging = false;
    m_current = secondAt(int(event->position().x()));
    m_spanFrom = qMin(m_anchor, m_current) * 1000;
    m_spanTo = qMax(m_anchor, m_current) * 1000 + 999;
    repaintNow();
    Q_EMIT spanSelected(m_spanFrom, m_spanTo);
}

void TimelineView::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape && hasSpan()) {
        clearSpan();
        return;
    }
    QWidget::keyPressEvent(event);
}

} // namespace Feedscope::Ui
