// SPDX-License-Identifier: GPL-3.0-or-later
#include "flowview.h"

#include "common/accessible.h"
#include "common/theme.h"
#include "flowitems.h"
#include "flowscene.h"

#include <QGraphicsView>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>
#include <QWheelEvent>

#include <functional>

namespace Feedscope::Ui {

namespace {

// Ctrl + wheel zooms around the pointer; a plain wheel scrolls.
class FlowGraphicsView : public QGraphicsView
{
public:
    FlowGraphicsView(QGraphicsScene *scene, QWidget *parent, std::function<void()> zoomed)
        : QGraphicsView(scene, parent)
        , m_zoomed(std::move(zoomed))
    {}

protected:
    void wheelEvent(QWheelEvent *event) override
    {
        if (!(event->modifiers() & Qt::ControlModifier)) {
            QGraphicsView::wheelEvent(event);
            return;
        }
        const qreal factor = event->angleDelta().y() > 0 ? 1.15 : 1 / 1.15;
        const qreal current = transform().m11();
        if (current * factor > 0.05 && current * factor < 4) {
            setTransformationAnchor(AnchorUnderMouse);
            scale(factor, factor);
        }
        m_zoomed();
        event->accept();
    }

private:
    std::function<void()> m_zoomed;
};

} // namespace

// What the colours and strokes mean, as one wrapping row of samples.
class FlowLegend : public QWidget
{
public:
    explicit FlowLegend(QWidget *parent)
        : QWidget(parent)
    {
        QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Fixed);
        policy.setHeightForWidth(true);
        setSizePolicy(policy);
    }

    struct Entry
    {
        QString text;
        QColor color;
        bool dashed = false;
        bool dot = false;
    };

    QList<Entry> entries() const
    {
        const QPalette p = palette();
        QColor flow = p.color(QPalette::Text);
        flow.setAlphaF(0.6f);
        return {
            {FlowView::tr("events flow"), flow, false, false},
            {FlowView::tr("event passing"), Theme::color(Theme::Role::Pulse, p), false, true},
            {deadEndText(FlowEdgeKind::NoActiveRule) + QStringLiteral(" / ")
                 + deadEndText(FlowEdgeKind::RuleInactive),
             deadEndColor(FlowEdgeKind::NoActiveRule, p),
             false,
             false},
            {FlowView::tr("429 throttled"), deadEndColor(FlowEdgeKind::Throttled, p), false, false},
            {deadEndText(FlowEdgeKind::ActionError) + QStringLiteral(" / ")
                 + deadEndText(FlowEdgeKind::NotStarted),
             deadEndColor(FlowEdgeKind::ActionError, p),
             false,
             false},
            {FlowView::tr("dashed: not hit yet"), flow, true, false},
        };
    }

    // Text for a screen reader: the same legend in words.
    QString description() const
    {
        return FlowView::tr(
            "Grey lines carry events, a moving dot is an event passing; amber ends: 204 "
            "no active rule or rule inactive; purple: 429 throttled; red: action error or "
            "not started; dashed: implied by the namespace, not hit yet.");
    }

    int heightForWidth(int width) const override { return rowsFor(width) * rowHeight() + 4; }
    bool hasHeightForWidth() const override { return true; }
    QSize sizeHint() const override { return QSize(600, heightForWidth(600)); }
    QSize minimumSizeHint() const override { return QSize(120, rowHeight() + 4); }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter painter(this);
        painter.setRenderHint(QPainter::Antialiasing);
        const QFontMetrics fm(font());
        int x = 4, y = 2;
        for (const Entry &e : entries()) {
            const int w = entryWidth(fm, e);
            if (x > 4 && x + w > width()) {
                x = 4;
                y += rowHeight();
            }
            const int mid = y + rowHeight() / 2;
            painter.setPen(QPen(e.color, 2, e.dashed ? Qt::DashLine : Qt::SolidLine));
            painter.drawLine(x, mid, x + 22, mid);
            if (e.dot) {
                painter.setPen(Qt::NoPen);
                painter.setBrush(e.color);
                painter.drawEllipse(QPointF(x + 11, mid), 4, 4);
            }
            painter.setPen(palette().color(QPalette::WindowText));
            painter.drawText(
                QRect(x + 28, y, w - 28, rowHeight()), Qt::AlignVCenter | Qt::AlignLeft, e.text);
            x += w;
        }
    }

private:
    int rowHeight() const { return fontMetrics().height() + 6; }
    static int entryWidth(const QFontMetrics &fm, const Entry &e)
    {
        return 28 + fm.horizontalAdvance(e.text) + 18;
    }
    int rowsFor(int width) const
    {
        const QFontMetrics fm(font());
        int rows = 1, x = 4;
        for (const Entry &e : entries()) {
            const int w = entryWidth(fm, e);
            if (x > 4 && x + w > width) {
                ++rows;
                x = 4;
            }
            x += w;
        }
        return rows;
    }
};

FlowView::FlowView(QWidget *parent)
    : QWidget(parent)
    , m_ownGraph(new FlowGraph(this))
    , m_graph(m_ownGraph)
    , m_scene(new FlowScene(this))
{
    setObjectName(QStringLiteral("flowView"));
    setAccessibleName(tr("Flow view"));

    m_view = new FlowGraphicsView(m_scene, this, [this] { userZoomed(); });
    nameControl(m_view, QStringLiteral("flowGraphicsView"), tr("Flow graph"));
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setDragMode(QGraphicsView::ScrollHandDrag);
    // Only the items that changed are repainted: pulses touch a few edges per frame.
    m_view->setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
    m_view->setFocusPolicy(Qt::StrongFocus);

    m_empty = new QLabel(tr("No triggers in this namespace yet. Create a trigger (or deploy the "
                            "demo workspace) and its events show here as they flow from their "
                            "source through rules to actions."),
                         this);
    nameControl(m_empty, QStringLiteral("flowEmptyState"), tr("Flow view is empty"));
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setMargin(24);

    m_stack = new QStackedWidget(this);
    m_stack->setObjectName(QStringLiteral("flowStack"));
    m_stack->addWidget(m_view);
    m_stack->addWidget(m_empty);

    m_fit = new QToolButton(this);
    m_fit->setText(tr("Zoom to fit"));
    m_fit->setToolTip(tr("Show the whole graph (Ctrl + wheel zooms; arrow keys move between "
                         "nodes, Enter shows a node's activations)"));
    nameControl(m_fit, QStringLiteral("flowZoomToFit"), tr("Zoom the flow graph to fit"));
    connect(m_fit, &QToolButton::clicked, this, &FlowView::zoomToFit);

    m_reset = new QToolButton(this);
    m_reset->setText(tr("Reset counters"));
    m_reset->setToolTip(tr("Count events from now on"));
    nameControl(m_reset, QStringLiteral("flowResetCounters"), tr("Reset the flow counters"));
    connect(m_reset, &QToolButton::clicked, this, [this] { m_graph->resetCounters(); });

    m_legend = new FlowLegend(this);
    m_legend->setObjectName(QStringLiteral("flowLegend"));
    m_legend->setAccessibleName(tr("Flow legend"));
    m_legend->setAccessibleDescription(m_legend->description());

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_fit);
    bar->addWidget(m_reset);
    bar->addWidget(m_legend, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(bar);
    layout->addWidget(m_stack, 1);

    connect(m_scene, &FlowScene::nodeActivated, this, &FlowView::nodeActivated);
    connect(m_scene, &FlowScene::laidOut, this, &FlowView::laidOut);
    // Graphics items are not accessible objects: the focused node is described on the view.
    connect(m_scene, &FlowScene::nodeFocused, m_view, &QWidget::setAccessibleDescription);
    m_scene->setGraph(m_graph);
}

FlowView::~FlowView()
{
    // The scene's items read the graph while they go: detach first.
    m_scene->setGraph(nullptr);
}

void FlowView::setGraph(FlowGraph *graph)
{
    m_graph = graph ? graph : m_ownGraph;
    m_scene->setGraph(m_graph);
}

void FlowView::setTree(EntityTreeModel *tree)
{
    m_graph->setTree(tree);
}

void FlowView::ingest(const QList<ActivationRecord> &records)
{
    m_graph->ingest(records);
}

bool FlowView::isEmptyStateShown() const
{
    return m_stack->currentWidget() == m_empty;
}

void FlowView::laidOut()
{
    const int triggers = m_graph->nodeCount(FlowNodeKind::Trigger);
    m_stack->setCurrentWidget(triggers == 0 ? static_cast<QWidget *>(m_empty) : m_view);
    m_view->setAccessibleDescription(tr("%1 sources, %2 triggers, %3 rules, %4 actions")
                                         .arg(m_graph->nodeCount(FlowNodeKind::Source))
                                         .arg(triggers)
                                         .arg(m_graph->nodeCount(FlowNodeKind::Rule))
                                         .arg(m_graph->nodeCount(FlowNodeKind::Action)));
    if (m_autoFit)
        zoomToFit();
}

void FlowView::zoomToFit()
{
    m_autoFit = true;
    const QRectF rect = m_scene->sceneRect();
    if (rect.isEmpty())
        return;
    m_view->resetTransform();
    m_view->fitInView(rect, Qt::KeepAspectRatio);
    // Never blow a small graph up beyond its natural size: text stays crisp and readable.
    if (m_view->transform().m11() > 1.0) {
        m_view->resetTransform();
        m_view->centerOn(rect.center());
    }
}

void FlowView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    if (m_autoFit)
        zoomToFit();
}

void FlowView::userZoomed()
{
    m_autoFit = false;
}

} // namespace Feedscope::Ui
