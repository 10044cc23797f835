// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "flowgraph.h"

#include <QElapsedTimer>
#include <QGraphicsScene>
#include <QHash>
#include <QPointer>
#include <QSet>
#include <QTimer>

namespace Feedscope::Ui {

class FlowEdgeItem;
class FlowNodeItem;

// The flow graph as graphics items (STYLE.md 18): one item per node and edge, mirrored by id,
// changed only in answer to the graph's signals. Columns: sources | triggers | rules |
// actions; each node sits near its parents, its dead ends stacked under it.
//
// Cheap at thousands of events per second: the graph publishes at most ten times a second,
// and the scene repaints on its own frame clock (frameMs) — a node's counters at most once a
// frame, an edge's pulse restarted at most once per pulseMs, so a busy edge costs a few frames
// per second however many events cross it.
class FlowScene : public QGraphicsScene
{
    Q_OBJECT

public:
    static constexpr int frameMs = 125;
    static constexpr int pulseMs = 500;
    static constexpr qreal columnStep = 380;
    static constexpr qreal rowGap = 18;

    explicit FlowScene(QObject *parent = nullptr);
    ~FlowScene() override;

    void setGraph(FlowGraph *graph);
    FlowGraph *graph() const { return m_graph; }

    FlowNodeItem *nodeItem(quint32 id) const { return m_nodes.value(id); }
    FlowEdgeItem *edgeItem(quint32 id) const { return m_edges.value(id); }
    int nodeItemCount() const { return int(m_nodes.size()); }
    int edgeItemCount() const { return int(m_edges.size()); }
    // Edges currently animating (for tests and the benchmark).
    int pulsingCount() const { return int(m_pulseStart.size()); }
    // Frames drawn since construction.
    qint64 frameCount() const { return m_frames; }

    // Called by a node item on a click, Enter or Space.
    void activate(const FlowNodeItem *item);
    // Called by a node item that a click focused.
    void noteFocus(const FlowNodeItem *item);
    // Gives the keyboard focus to the node nearest to the focused one in the direction of an
    // arrow key (the first node when none has it); false for other keys.
    bool moveFocus(int key);

Q_SIGNALS:
    void nodeActivated(Feedscope::FlowNodeKind kind, const QString &name);
    // Items were added or removed and placed again.
    void laidOut();
    // The keyboard or a click moved to a node; `description` is its tooltip text.
    void nodeFocused(const QString &description);

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    void rebuild();
    void layout();
    void onCounters(const QList<quint32> &nodes);
    void onPulsed(const QList<quint32> &edges);
    void frame();
    void refreshNode(quint32 id);

    QPointer<FlowGraph> m_graph;
    QHash<quint32, FlowNodeItem *> m_nodes;
    QHash<quint32, FlowEdgeItem *> m_edges;
    QElapsedTimer m_clock;
    QTimer m_frameTimer;
    QHash<quint32, qint64> m_pulseStart; // edge → clock time its pulse began
    QSet<quint32> m_dirtyNodes;
    qint64 m_frames = 0;
};

} // namespace Feedscope::Ui
