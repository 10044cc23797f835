// SPDX-License-Identifier: GPL-3.0-or-later
#include "patterndiagram.h"

#include <QPainter>
#include <QPainterPath>
#include <QtMath>

namespace Feedscope::Ui {

namespace {

constexpr int boxWidth = 132;
constexpr int boxHeight = 46;
constexpr int columnGap = 64;
constexpr int rowGap = 34;
constexpr int margin = 10;

QString orPlaceholder(const QString &text, const QString &placeholder)
{
    return text.trimmed().isEmpty() ? placeholder : text.trimmed();
}

} // namespace

QString designTitle(DesignKind kind)
{
    switch (kind) {
    case DesignKind::Hook: return QObject::tr("Hook feed");
    case DesignKind::Polling: return QObject::tr("Polling feed");
    case DesignKind::Connection: return QObject::tr("Connection feed");
    case DesignKind::FeedAction: return QObject::tr("Trigger on a feed action");
    }
    return {};
}

PatternDiagram::PatternDiagram(DesignKind kind, QWidget *parent)
    : QWidget(parent)
    , m_kind(kind)
{
    setObjectName(QStringLiteral("patternDiagram"));
    setAccessibleName(tr("Diagram of the %1 pattern").arg(designTitle(kind)));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    rebuild();
}

void PatternDiagram::setNames(const QString &source, const QString &trigger, const QString &action)
{
    m_source = source;
    m_trigger = trigger;
    m_action = action;
    rebuild();
    update();
}

void PatternDiagram::rebuild()
{
    using R = Theme::Role;
    const QString trigger = orPlaceholder(m_trigger, tr("your trigger"));
    const QString action = orPlaceholder(m_action, tr("handler action"));
    const QString source = orPlaceholder(m_source, tr("its URL"));
    m_nodes.clear();
    m_edges.clear();
    switch (m_kind) {
    case DesignKind::Hook:
        m_nodes = {{tr("Service"), source, R::Muted, 0, 0},
                   {tr("Trigger"), trigger, R::Accent, 1, 0},
                   {tr("Rule"), trigger + tr("-rule"), R::Muted, 2, 0},
                   {tr("Action"), action, R::Success, 3, 0},
                   {tr("Feed action"), tr("registers the webhook"), R::Feed, 0, 1}};
        m_edges = {{0, 1, tr("POST"), false},
                   {1, 2, tr("fires"), false},
                   {2, 3, tr("invokes"), false},
                   {4, 0, tr("CREATE / DELETE"), true}};
        break;
    case DesignKind::Polling:
        m_nodes = {{tr("Alarm"), tr("tick on a schedule"), R::Feed, 0, 0},
                   {tr("Poll action"), tr("asks for news"), R::Muted, 1, 0},
                   {tr("Trigger"), trigger, R::Accent, 2, 0},
                   {tr("Rule"), trigger + tr("-rule"), R::Muted, 3, 0},
                   {tr("Action"), action, R::Success, 4, 0},
                   {tr("Service"), source, R::Muted, 1, 1}};
        m_edges = {{0, 1, tr("tick"), false},
                   {1, 2, tr("new items"), false},
                   {2, 3, tr("fires"), false},
                   {3, 4, tr("invokes"), false},
                   {1, 5, tr("GET since cursor"), true}};
        break;
    case DesignKind::Connection:
        m_nodes = {{tr("Event stream"), source, R::Muted, 0, 0},
                   {tr("Provider"), tr("holds the connection"), R::Feed, 1, 0},
                   {tr("Trigger"), trigger, R::Accent, 2, 0},
                   {tr("Rule"), trigger + tr("-rule"), R::Muted, 3, 0},
                   {tr("Action"), action, R::Success, 4, 0}};
        m_edges = {{0, 1, tr("stream"), false},
                   {1, 2, tr("fires"), false},
                   {2, 3, tr("fires"), false},
                   {3, 4, tr("invokes"), false}};
        break;
    case DesignKind::FeedAction:
        m_nodes
            = {{tr("Feed provider"), orPlaceholder(m_source, tr("the feed action")), R::Feed, 0, 0},
               {tr("Trigger"), trigger, R::Accent, 1, 0},
               {tr("Rule"), trigger + tr("-rule"), R::Muted, 2, 0},
               {tr("Action"), action, R::Success, 3, 0}};
        m_edges = {
            {0, 1, tr("fires"), false}, {1, 2, tr("fires"), false}, {2, 3, tr("invokes"), false}};
        break;
    }
    setAccessibleDescription(describe());
    updateGeometry();
}

QString PatternDiagram::describe() const
{
    QStringList lines;
    for (const Edge &e : m_edges) {
        const Node &from = m_nodes.at(e.from);
        const Node &to = m_nodes.at(e.to);
        lines.append(QStringLiteral("%1 (%2) → %3 → %4 (%5)")
                         .arg(from.title, from.detail, e.label, to.title, to.detail));
    }
    return lines.join(u'\n');
}

QSize PatternDiagram::sizeHint() const
{
    int columns = 0;
    int rows = 0;
    for (const Node &n : m_nodes) {
        columns = qMax(columns, n.column + 1);
        rows = qMax(rows, n.row + 1);
    }
    return {2 * margin + columns * boxWidth + (columns - 1) * columnGap,
            2 * margin + rows * boxHeight + (rows - 1) * rowGap + 14};
}

QSize PatternDiagram::minimumSizeHint() const
{
    return {sizeHint().width() * 3 / 4, sizeHint().height()};
}

void PatternDiagram::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette &pal = palette();
    // Scale down (never up) when the page is narrower than the drawing.
    const QSize natural = sizeHint();
    const qreal scale = qMin<qreal>(1.0, qreal(width()) / natural.width());
    p.translate((width() - natural.width() * scale) / 2, 0);
    p.scale(scale, scale);

    auto boxOf = [](const Node &n) {
        return QRectF(margin + n.column * (boxWidth + columnGap),
                      margin + n.row * (boxHeight + rowGap),
                      boxWidth,
                      boxHeight);
    };

    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    for (const Edge &e : m_edges) {
        const QRectF a = boxOf(m_nodes.at(e.from));
        const QRectF b = boxOf(m_nodes.at(e.to));
        QPointF start;
        QPointF end;
        if (qFuzzyCompare(a.top(), b.top())) { // same row: side to side
            const bool right = b.left() > a.left();
            start = QPointF(right ? a.right() : a.left(), a.center().y());
            end = QPointF(right ? b.left() : b.right(), b.center().y());
        } else { // between rows: bottom to top
            const bool down = b.top() > a.top();
            start = QPointF(a.center().x(), down ? a.bottom() : a.top());
            end = QPointF(b.center().x(), down ? b.top() : b.bottom());
        }
        QPen pen(e.dashed ? Theme::color(Theme::Role::Muted, pal) : pal.color(QPalette::Text), 1.4);
        if (e.dashed)
            pen.setStyle(Qt::DashLine);
        p.setPen(pen);
        p.drawLine(start, end);
        // Arrow head.
        const qreal angle = qAtan2(end.y() - start.y(), end.x() - start.x());
        QPainterPath head;
        head.moveTo(end);
        head.lineTo(end - QPointF(qCos(angle - 0.45) * 8, qSin(angle - 0.45) * 8));
        head.lineTo(end - QPointF(qCos(angle + 0.45) * 8, qSin(angle + 0.45) * 8));
        head.closeSubpath();
        p.fillPath(head, pen.color());
        p.setFont(small);
        const QPointF mid = (start + end) / 2;
        const QRectF labelBox = qFuzzyCompare(start.y(), end.y())
                                    ? QRectF(mid.x() - columnGap, mid.y() - 22, 2 * columnGap, 18)
                                    : QRectF(mid.x() + 6, mid.y() - 9, boxWidth, 18);
        p.setPen(Theme::color(Theme::Role::Muted, pal));
        p.drawText(labelBox,
                   qFuzzyCompare(start.y(), end.y()) ? Qt::AlignCenter
                                                     : Qt::AlignLeft | Qt::AlignVCenter,
                   e.label);
    }

    for (const Node &n : m_nodes) {
        const QRectF box = boxOf(n);
        const QColor accent = Theme::color(n.role, pal);
        QColor fill = pal.color(QPalette::Base);
        p.setPen(QPen(accent, 1.6));
        p.setBrush(fill);
        p.drawRoundedRect(box, 7, 7);
        p.fillRect(QRectF(box.left() + 1, box.top() + 6, 4, box.height() - 12), accent);
        QFont bold = font();
        bold.setBold(true);
        p.setFont(bold);
        p.setPen(pal.color(QPalette::Text));
        const QRectF inner = box.adjusted(10, 4, -6, -4);
        p.drawText(QRectF(inner.left(), inner.top(), inner.width(), inner.height() / 2),
                   Qt::AlignLeft | Qt::AlignVCenter,
                   n.title);
        p.setFont(small);
        p.setPen(Theme::color(Theme::Role::Muted, pal));
        const QString detail
            = QFontMetrics(small).elidedText(n.detail, Qt::ElideMiddle, int(inner.width()));
        p.drawText(QRectF(inner.left(), inner.center().y(), inner.width(), inner.height() / 2),
                   Qt::AlignLeft | Qt::AlignVCenter,
                   detail);
    }
}

} // namespace Feedscope::Ui
