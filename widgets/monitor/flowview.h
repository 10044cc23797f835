// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "flowgraph.h"

#include <QWidget>

class QGraphicsView;
class QLabel;
class QStackedWidget;
class QToolButton;

namespace Feedscope::Ui {

class FlowLegend;
class FlowScene;

// The monitor's flow view (issue G): the namespace as sources → triggers → rules → actions,
// each node with its event and error counters (and feed triggers with their feed's health),
// edges pulsing as events cross them, dead ends — 204 no active rule, rule inactive, 429,
// action error — drawn in their own colours with a label. A legend, zoom to fit, Reset
// counters; an empty state when the namespace has no trigger. Clicking a node (or Enter on it)
// emits nodeActivated, so the monitor can filter its table.
//
// It owns its FlowGraph: feed it with setTree() (the session's explorer tree) and ingest()
// (ActivationStream::activations), or share a graph with setGraph().
class FlowView : public QWidget
{
    Q_OBJECT

public:
    explicit FlowView(QWidget *parent = nullptr);
    ~FlowView() override;

    FlowGraph *graph() const { return m_graph; }
    // Shows another graph (not owned); nullptr returns to the view's own.
    void setGraph(FlowGraph *graph);
    void setTree(EntityTreeModel *tree);
    void ingest(const QList<Feedscope::ActivationRecord> &records);

    FlowScene *scene() const { return m_scene; }
    QGraphicsView *graphicsView() const { return m_view; }
    QToolButton *zoomToFitButton() const { return m_fit; }
    QToolButton *resetButton() const { return m_reset; }
    QLabel *emptyLabel() const { return m_empty; }
    bool isEmptyStateShown() const;

    // Fits the whole graph (never enlarging it beyond 1:1) and keeps fitting it as it grows,
    // until the user zooms by hand.
    void zoomToFit();

Q_SIGNALS:
    // `name` as the graph names nodes: the direct-fires source has an empty name.
    void nodeActivated(Feedscope::FlowNodeKind kind, const QString &name);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void laidOut();
    void userZoomed();

    FlowGraph *m_ownGraph;
    FlowGraph *m_graph;
    FlowScene *m_scene;
    QGraphicsView *m_view;
    QStackedWidget *m_stack;
    QLabel *m_empty;
    QToolButton *m_fit;
    QToolButton *m_reset;
    FlowLegend *m_legend;
    bool m_autoFit = true;
};

} // namespace Feedscope::Ui
