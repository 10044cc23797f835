// SPDX-License-Identifier: GPL-3.0-or-later
#include "flowitems.h"

#include "common/theme.h"
#include "flowscene.h"

#include <QDateTime>
#include <QGraphicsSceneMouseEvent>
#include <QKeyEvent>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

namespace Feedscope::Ui {

namespace {

QFont smaller(QFont font, qreal factor)
{
    font.setPointSizeF(qMax(6.5, font.pointSizeF() * factor));
    return font;
}

QColor withAlpha(QColor color, float alpha)
{
    color.setAlphaF(alpha);
    return color;
}

struct Chip
{
    QString text;
    Theme::Role role;
};

Chip healthChip(const FeedHealth &health)
{
    switch (health.state) {
    case FeedHealth::State::Active: return {FlowScene::tr("active"), Theme::Role::Success};
    case FeedHealth::State::Paused: return {FlowScene::tr("paused"), Theme::Role::Paused};
    case FeedHealth::State::AutoDisabled: return {FlowScene::tr("disabled"), Theme::Role::Error};
    case FeedHealth::State::Unreadable: return {FlowScene::tr("unreadable"), Theme::Role::Warning};
    case FeedHealth::State::Unknown: break;
    }
    return {FlowScene::tr("feed"), Theme::Role::Muted};
}

// "1 event", "12 events" (the app has no translations, so no %n plural forms to lean on).
QString eventsText(qint64 n)
{
    return n == 1 ? FlowScene::tr("1 event") : FlowScene::tr("%1 events").arg(n);
}

QString errorsText(qint64 n)
{
    return n == 1 ? FlowScene::tr("1 error") : FlowScene::tr("%1 errors").arg(n);
}

QString healthText(const FeedHealth &health)
{
    const Chip chip = healthChip(health);
    if (health.state == FeedHealth::State::Unknown)
        return FlowScene::tr("feed health not read yet");
    return health.reason.isEmpty() ? FlowScene::tr("feed %1").arg(chip.text)
                                   : FlowScene::tr("feed %1: %2").arg(chip.text, health.reason);
}

QString tooltipOf(const FlowNode &node)
{
    QStringList lines{QStringLiteral("%1 %2").arg(nodeKindText(node.kind), node.label())};
    if (node.kind == FlowNodeKind::Trigger && !node.feed.isEmpty())
        lines << FlowScene::tr("Feed %1 — %2").arg(node.feed, healthText(node.health));
    if (node.inactive)
        lines << FlowScene::tr("Inactive: its trigger's events do not run its action");
    if (!node.listed)
        lines << FlowScene::tr("Not listed in the namespace (seen in activations, or named by "
                               "a rule)");
    lines << eventsText(node.events)
                 + (node.errors ? QStringLiteral(", ") + errorsText(node.errors) : QString());
    if (node.lastEventMs > 0)
        lines << FlowScene::tr("Last at %1")
                     .arg(QDateTime::fromMSecsSinceEpoch(node.lastEventMs)
                              .toString(QStringLiteral("HH:mm:ss")));
    lines << FlowScene::tr("Click to show its activations in the table");
    return lines.join(u'\n');
}

} // namespace

QColor deadEndColor(FlowEdgeKind kind, const QPalette &palette)
{
    switch (kind) {
    case FlowEdgeKind::NoActiveRule:
    case FlowEdgeKind::RuleInactive: return Theme::color(Theme::Role::Warning, palette);
    case FlowEdgeKind::Throttled: return Theme::color(Theme::Role::Feed, palette);
    case FlowEdgeKind::ActionError:
    case FlowEdgeKind::NotStarted: return Theme::color(Theme::Role::Error, palette);
    case FlowEdgeKind::Flow: break;
    }
    return Theme::color(Theme::Role::Muted, palette);
}

// ---------------------------------------------------------------------------------------------
// Nodes

FlowNodeItem::FlowNodeItem(FlowScene *scene, quint32 id)
    : m_scene(scene)
    , m_id(id)
{
    setFlags(ItemIsSelectable | ItemIsFocusable);
    setAcceptHoverEvents(true);
    setCursor(Qt::PointingHandCursor);
    setZValue(1);
}

void FlowNodeItem::refresh(const FlowNode &node)
{
    m_node = node;
    setToolTip(tooltipOf(node));
    update();
}

QRectF FlowNodeItem::boundingRect() const
{
    return QRectF(0, 0, width, height);
}

void FlowNodeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const QPalette palette = m_scene->palette();
    const QRectF box = boundingRect().adjusted(1, 1, -1, -1);
    painter->setRenderHint(QPainter::Antialiasing);

    QColor border = withAlpha(palette.color(QPalette::Text), 0.35f);
    Qt::PenStyle style = Qt::SolidLine;
    if (m_node.inactive) {
        border = Theme::color(Theme::Role::Warning, palette);
        style = Qt::DashLine;
    } else if (!m_node.listed) {
        style = Qt::DashLine;
    }
    const bool highlighted
        = (option->state & QStyle::State_Selected) || (option->state & QStyle::State_HasFocus);
    if (highlighted)
        border = Theme::color(Theme::Role::Accent, palette);
    painter->setPen(QPen(border, highlighted ? 2.5 : 1.2, style));
    painter->setBrush(palette.color(QPalette::Base));
    painter->drawRoundedRect(box, 7, 7);

    // The kind's icon, as the explorer draws it (sources: a feed-coloured disc).
    const QRectF iconRect(box.left() + 8, box.top() + 9, 16, 16);
    using K = EntityTreeModel::NodeKind;
    switch (m_node.kind) {
    case FlowNodeKind::Source: {
        const bool direct = m_node.name.isEmpty();
        painter->setPen(Qt::NoPen);
        painter->setBrush(Theme::color(direct ? Theme::Role::Muted : Theme::Role::Feed, palette));
        painter->drawEllipse(iconRect);
        break;
    }
    case FlowNodeKind::Trigger:
        painter->drawPixmap(iconRect.toRect(), Theme::nodeIcon(K::Trigger, palette).pixmap(16));
        break;
    case FlowNodeKind::Rule:
        painter->drawPixmap(iconRect.toRect(), Theme::nodeIcon(K::Rule, palette).pixmap(16));
        break;
    case FlowNodeKind::Action:
        painter->drawPixmap(iconRect.toRect(), Theme::nodeIcon(K::Action, palette).pixmap(16));
        break;
    }

    const QFont base = m_scene->font();
    QFont nameFont = base;
    nameFont.setBold(true);
    nameFont.setItalic(!m_node.listed);
    const QRectF nameRect(
        iconRect.right() + 7, box.top() + 5, box.right() - iconRect.right() - 14, 22);
    painter->setFont(nameFont);
    painter->setPen(palette.color(QPalette::Text));
    painter->drawText(
        nameRect,
        Qt::AlignLeft | Qt::AlignVCenter,
        QFontMetricsF(nameFont).elidedText(m_node.label(), Qt::ElideMiddle, nameRect.width()));

    // Counters, left; the feed's health chip, right.
    const QFont small = smaller(base, 0.85);
    const QFontMetricsF sm(small);
    painter->setFont(small);
    qreal x = box.left() + 9;
    const qreal lineY = box.bottom() - 22;
    const QRectF line(x, lineY, box.width() - 18, 18);
    QString events = eventsText(m_node.events);
    if (m_node.inactive)
        events = FlowScene::tr("inactive · ") + events;
    painter->setPen(Theme::color(Theme::Role::Muted, palette));
    painter->drawText(line, Qt::AlignLeft | Qt::AlignVCenter, events);
    x += sm.horizontalAdvance(events);
    if (m_node.errors > 0) {
        const QString errors = QStringLiteral(" · ") + errorsText(m_node.errors);
        painter->setPen(Theme::color(Theme::Role::Error, palette));
        painter->drawText(
            QRectF(x, lineY, box.right() - x, 18), Qt::AlignLeft | Qt::AlignVCenter, errors);
    }
    if (m_node.kind == FlowNodeKind::Trigger && !m_node.feed.isEmpty()) {
        const Chip chip = healthChip(m_node.health);
        const QColor c = Theme::color(chip.role, palette);
        const qreal w = sm.horizontalAdvance(chip.text) + 12;
        const QRectF pill(box.right() - w - 7, box.top() + 7, w, sm.height() + 3);
        painter->setPen(c);
        painter->setBrush(withAlpha(c, 0.18f));
        painter->drawRoundedRect(pill, 6, 6);
        painter->drawText(pill, Qt::AlignCenter, chip.text);
    }
}

void FlowNodeItem::mousePressEvent(QGraphicsSceneMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        event->ignore();
        return;
    }
    scene()->clearSelection();
    setSelected(true);
    setFocus(Qt::MouseFocusReason);
    m_scene->noteFocus(this);
    m_scene->activate(this);
    event->accept();
}

void FlowNodeItem::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter
        || event->key() == Qt::Key_Space) {
        m_scene->activate(this);
        event->accept();
        return;
    }
    QGraphicsObject::keyPressEvent(event);
}

// ---------------------------------------------------------------------------------------------
// Edges

FlowEdgeItem::FlowEdgeItem(FlowScene *scene, quint32 id)
    : m_scene(scene)
    , m_id(id)
{
    setZValue(0);
}

void FlowEdgeItem::refresh(const FlowEdge &edge)
{
    m_edge = edge;
    if (edge.isDeadEnd()) {
        setToolTip(FlowScene::tr("Dead end: %1 — %2")
                       .arg(deadEndText(edge.kind), eventsText(edge.events)));
    } else {
        setToolTip(eventsText(edge.events));
    }
    update();
}

void FlowEdgeItem::place(const QRectF &from, const QRectF &to, int slot)
{
    prepareGeometryChange();
    QPainterPath path;
    if (m_edge.isDeadEnd()) {
        m_terminal = QRectF(from.right() + 16,
                            from.bottom() + 4 + slot * terminalStep,
                            terminalWidth,
                            terminalHeight);
        const QPointF start(from.right() - 16, from.bottom());
        path.moveTo(start);
        path.lineTo(start.x(), m_terminal.center().y());
        path.lineTo(m_terminal.left(), m_terminal.center().y());
        m_bounds = path.boundingRect().united(m_terminal);
    } else {
        m_terminal = QRectF();
        const QPointF a(from.right(), from.center().y());
        const QPointF b(to.left(), to.center().y());
        const qreal dx = (b.x() - a.x()) / 2;
        path.moveTo(a);
        path.cubicTo(a + QPointF(dx, 0), b - QPointF(dx, 0), b);
        // Room for the count drawn above the middle.
        const QPointF mid = path.pointAtPercent(0.5);
        m_bounds = path.boundingRect().united(QRectF(mid.x() - 40, mid.y() - 20, 80, 20));
    }
    m_path = path;
    m_bounds.adjust(-6, -6, 6, 6);
}

void FlowEdgeItem::setPulse(qreal phase)
{
    m_pulse = phase;
    update();
}

QRectF FlowEdgeItem::boundingRect() const
{
    return m_bounds;
}

QColor FlowEdgeItem::color(const QPalette &palette) const
{
    if (m_edge.isDeadEnd())
        return deadEndColor(m_edge.kind, palette);
    return withAlpha(palette.color(QPalette::Text), m_edge.events > 0 ? 0.6f : 0.3f);
}

void FlowEdgeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    if (m_path.isEmpty())
        return;
    const QPalette palette = m_scene->palette();
    const QColor c = color(palette);
    painter->setRenderHint(QPainter::Antialiasing);
    // An implied dead end nothing has hit yet is dashed: it says what would happen.
    const bool idle = m_edge.events == 0;
    painter->setPen(QPen(c, m_edge.isDeadEnd() ? 1.6 : 1.4, idle ? Qt::DashLine : Qt::SolidLine));
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(m_path);

    const QFont small = smaller(m_scene->font(), 0.8);
    painter->setFont(small);
    if (m_edge.isDeadEnd()) {
        painter->setBrush(withAlpha(c, 0.15f));
        painter->setPen(QPen(c, 1.2, idle ? Qt::DashLine : Qt::SolidLine));
        painter->drawRoundedRect(m_terminal, 5, 5);
        const QString text
            = idle ? deadEndText(m_edge.kind)
                   : QStringLiteral("%1 · %2").arg(deadEndText(m_edge.kind)).arg(m_edge.events);
        painter->setPen(c);
        painter->drawText(
            m_terminal.adjusted(6, 0, -6, 0),
            Qt::AlignVCenter | Qt::AlignLeft,
            QFontMetricsF(small).elidedText(text, Qt::ElideRight, m_terminal.width() - 12));
    } else if (!idle) {
        const QPointF mid = m_path.pointAtPercent(0.5);
        painter->setPen(Theme::color(Theme::Role::Muted, palette));
        painter->drawText(QRectF(mid.x() - 40, mid.y() - 18, 80, 16),
                          Qt::AlignCenter,
                          QString::number(m_edge.events));
    }

    if (m_pulse >= 0) {
        // A glow that fades and a dot that travels: the event moving along the edge.
        const QColor pulse = m_edge.isDeadEnd() ? c : Theme::color(Theme::Role::Pulse, palette);
        painter->setPen(QPen(withAlpha(pulse, float(0.7 * (1 - m_pulse))), 4));
        painter->setBrush(Qt::NoBrush);
        painter->drawPath(m_path);
        painter->setPen(Qt::NoPen);
        painter->setBrush(pulse);
        painter->drawEllipse(m_path.pointAtPercent(qBound(0.0, m_pulse, 1.0)), 4.5, 4.5);
    }
}

} // namespace Feedscope::Ui
