// SPDX-License-Identifier: GPL-3.0-or-later
#include "flowscene.h"

#include "flowitems.h"

#include <QGraphicsView>
#include <QKeyEvent>

#include <algorithm>
#include <limits>

namespace Feedscope::Ui {

FlowScene::FlowScene(QObject *parent)
    : QGraphicsScene(parent)
{
    m_clock.start();
    m_frameTimer.setInterval(frameMs);
    connect(&m_frameTimer, &QTimer::timeout, this, &FlowScene::frame);
}

FlowScene::~FlowScene() = default;

void FlowScene::setGraph(FlowGraph *graph)
{
    if (m_graph)
        disconnect(m_graph, nullptr, this, nullptr);
    m_graph = graph;
    if (graph) {
        connect(graph, &FlowGraph::structureChanged, this, &FlowScene::rebuild);
        connect(graph, &FlowGraph::countersChanged, this, &FlowScene::onCounters);
        connect(graph, &FlowGraph::edgesPulsed, this, &FlowScene::onPulsed);
    }
    rebuild();
}

void FlowScene::activate(const FlowNodeItem *item)
{
    Q_EMIT nodeActivated(item->node().kind, item->node().name);
}

void FlowScene::noteFocus(const FlowNodeItem *item)
{
    Q_EMIT nodeFocused(item->toolTip());
}

bool FlowScene::moveFocus(int key)
{
    QPointF direction;
    switch (key) {
    case Qt::Key_Left: direction = QPointF(-1, 0); break;
    case Qt::Key_Right: direction = QPointF(1, 0); break;
    case Qt::Key_Up: direction = QPointF(0, -1); break;
    case Qt::Key_Down: direction = QPointF(0, 1); break;
    default: return false;
    }
    auto *current = dynamic_cast<FlowNodeItem *>(focusItem());
    // Left and right follow the edges when there are any: to the node's parents or children.
    QSet<quint32> linked;
    if (current && m_graph && direction.y() == 0) {
        for (FlowEdgeItem *edge : std::as_const(m_edges)) {
            const FlowEdge &e = edge->edge();
            if (e.isDeadEnd())
                continue;
            if (direction.x() > 0 && e.from == current->id())
                linked.insert(e.to);
            else if (direction.x() < 0 && e.to == current->id())
                linked.insert(e.from);
        }
    }
    FlowNodeItem *best = nullptr;
    qreal bestScore = std::numeric_limits<qreal>::max();
    for (FlowNodeItem *item : std::as_const(m_nodes)) {
        if (item == current || (!linked.isEmpty() && !linked.contains(item->id())))
            continue;
        qreal score = 0;
        if (current) {
            // Nearest along the arrow, sideways distance costing double: Right from a trigger
            // goes to its rule rather than to a trigger further down.
            const QPointF d = item->pos() - current->pos();
            const qreal along = d.x() * direction.x() + d.y() * direction.y();
            if (along <= 0)
                continue;
            const qreal across = qAbs(d.x() * direction.y()) + qAbs(d.y() * direction.x());
            score = along + 2 * across;
        } else {
            score = item->x() * 1000 + item->y(); // none focused yet: the top of the first column
        }
        if (score < bestScore) {
            bestScore = score;
            best = item;
        }
    }
    if (!best)
        return true; // nothing that way: the focus stays
    clearSelection();
    best->setSelected(true);
    best->setFocus(Qt::OtherFocusReason);
    // Said here, not on focusItemChanged: an inactive scene (its window not active) gives the
    // focus only when it is activated.
    noteFocus(best);
    for (QGraphicsView *view : views())
        view->ensureVisible(best);
    return true;
}

void FlowScene::keyPressEvent(QKeyEvent *event)
{
    if (event->modifiers() == Qt::NoModifier && moveFocus(event->key())) {
        event->accept();
        return;
    }
    QGraphicsScene::keyPressEvent(event);
}

void FlowScene::rebuild()
{
    QSet<quint32> nodeIds, edgeIds;
    if (m_graph) {
        const QList<quint32> nodes = m_graph->nodeIds();
        const QList<quint32> edges = m_graph->edgeIds();
        nodeIds = QSet<quint32>(nodes.cbegin(), nodes.cend());
        edgeIds = QSet<quint32>(edges.cbegin(), edges.cend());
    }
    for (auto it = m_edges.begin(); it != m_edges.end();) {
        if (edgeIds.contains(it.key())) {
            ++it;
            continue;
        }
        m_pulseStart.remove(it.key());
        delete it.value();
        it = m_edges.erase(it);
    }
    for (auto it = m_nodes.begin(); it != m_nodes.end();) {
        if (nodeIds.contains(it.key())) {
            ++it;
            continue;
        }
        m_dirtyNodes.remove(it.key());
        delete it.value();
        it = m_nodes.erase(it);
    }
    for (quint32 id : std::as_const(nodeIds)) {
        FlowNodeItem *&item = m_nodes[id];
        if (!item) {
            item = new FlowNodeItem(this, id);
            addItem(item);
        }
        item->refresh(*m_graph->node(id));
    }
    for (quint32 id : std::as_const(edgeIds)) {
        FlowEdgeItem *&item = m_edges[id];
        if (!item) {
            item = new FlowEdgeItem(this, id);
            addItem(item);
        }
        item->refresh(*m_graph->edge(id));
    }
    layout();
}

void FlowScene::layout()
{
    if (!m_graph) {
        setSceneRect(QRectF());
        Q_EMIT laidOut();
        return;
    }
    // Parents of each node (flow edges into it), and each node's dead ends in a fixed order.
    QHash<quint32, QList<quint32>> parents;
    QHash<quint32, QList<FlowEdgeItem *>> deadEnds;
    for (FlowEdgeItem *item : std::as_const(m_edges)) {
        const FlowEdge &e = item->edge();
        if (e.isDeadEnd())
            deadEnds[e.from].append(item);
        else
            parents[e.to].append(e.from);
    }
    for (QList<FlowEdgeItem *> &list : deadEnds) {
        std::sort(list.begin(), list.end(), [](FlowEdgeItem *a, FlowEdgeItem *b) {
            return a->edge().kind < b->edge().kind;
        });
    }

    // Column by column: each node goes as near its parents' middle as the nodes above it allow,
    // in the order of that middle (a barycentre layout: few crossings, no search).
    QHash<quint32, qreal> centre;
    const FlowNodeKind columns[]
        = {FlowNodeKind::Source, FlowNodeKind::Trigger, FlowNodeKind::Rule, FlowNodeKind::Action};
    for (int column = 0; column < 4; ++column) {
        QList<quint32> ids = m_graph->nodeIds(columns[column]);
        QHash<quint32, qreal> wanted;
        for (quint32 id : std::as_const(ids)) {
            const QList<quint32> from = parents.value(id);
            qreal sum = 0;
            int n = 0;
            for (quint32 p : from) {
                const auto c = centre.constFind(p);
                if (c != centre.cend()) {
                    sum += *c;
                    ++n;
                }
            }
            wanted.insert(id, n ? sum / n : -1);
        }
        std::stable_sort(ids.begin(), ids.end(), [&wanted](quint32 a, quint32 b) {
            return wanted.value(a) < wanted.value(b);
        });
        qreal y = 0;
        for (quint32 id : std::as_const(ids)) {
            FlowNodeItem *item = m_nodes.value(id);
            if (!item)
                continue;
            const qreal target = wanted.value(id) - FlowNodeItem::height / 2;
            y = qMax(y, target);
            item->setPos(column * columnStep, y);
            centre.insert(id, y + FlowNodeItem::height / 2);
            y += FlowNodeItem::height + deadEnds.value(id).size() * FlowEdgeItem::terminalStep
                 + rowGap;
        }
    }
    for (FlowEdgeItem *item : std::as_const(m_edges)) {
        const FlowEdge &e = item->edge();
        FlowNodeItem *from = m_nodes.value(e.from);
        FlowNodeItem *to = m_nodes.value(e.to);
        if (!from)
            continue;
        const QRectF fromRect = from->sceneBoundingRect();
        if (e.isDeadEnd())
            item->place(fromRect, QRectF(), int(deadEnds.value(e.from).indexOf(item)));
        else if (to)
            item->place(fromRect, to->sceneBoundingRect(), 0);
    }
    setSceneRect(itemsBoundingRect().adjusted(-24, -24, 24, 24));
    Q_EMIT laidOut();
}

void FlowScene::onCounters(const QList<quint32> &nodes)
{
    for (quint32 id : nodes)
        m_dirtyNodes.insert(id);
    if (!m_frameTimer.isActive())
        m_frameTimer.start();
}

void FlowScene::onPulsed(const QList<quint32> &edges)
{
    const qint64 now = m_clock.elapsed();
    for (quint32 id : edges) {
        if (!m_edges.contains(id))
            continue;
        const auto started = m_pulseStart.constFind(id);
        // A pulse still running absorbs further events: one per pulseMs at most.
        if (started != m_pulseStart.cend() && now - *started < pulseMs)
            continue;
        m_pulseStart.insert(id, now);
    }
    if (!m_pulseStart.isEmpty() && !m_frameTimer.isActive())
        m_frameTimer.start();
}

void FlowScene::refreshNode(quint32 id)
{
    FlowNodeItem *item = m_nodes.value(id);
    const FlowNode *node = m_graph ? m_graph->node(id) : nullptr;
    if (!item || !node)
        return;
    item->refresh(*node);
    for (quint32 edgeId : m_graph->edgesFrom(id)) {
        FlowEdgeItem *edge = m_edges.value(edgeId);
        if (const FlowEdge *e = m_graph->edge(edgeId); edge && e)
            edge->refresh(*e);
    }
}

void FlowScene::frame()
{
    ++m_frames;
    for (quint32 id : std::as_const(m_dirtyNodes))
        refreshNode(id);
    m_dirtyNodes.clear();
    const qint64 now = m_clock.elapsed();
    for (auto it = m_pulseStart.begin(); it != m_pulseStart.end();) {
        FlowEdgeItem *item = m_edges.value(it.key());
        const qreal phase = qreal(now - it.value()) / pulseMs;
        if (!item || phase >= 1) {
            if (item)
                item->setPulse(-1);
            it = m_pulseStart.erase(it);
            continue;
        }
        item->setPulse(phase);
        ++it;
    }
    if (m_pulseStart.isEmpty())
        m_frameTimer.stop();
}

} // namespace Feedscope::Ui
