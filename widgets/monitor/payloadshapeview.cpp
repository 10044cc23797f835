// SPDX-License-Identifier: GPL-3.0-or-later
#include "payloadshapeview.h"

#include "common/accessible.h"
#include "common/theme.h"

#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QPushButton>
#include <QScrollBar>
#include <QStackedWidget>
#include <QTreeWidget>
#include <QTreeWidgetItemIterator>
#include <QVBoxLayout>

#include <cmath>

namespace Feedscope::Ui {

namespace {

// "string 80% · null 20%"
QString typesText(const FieldShape &field)
{
    QStringList parts;
    for (const FieldTypeShare &t : field.types) {
        const int percent = int(std::lround(100.0 * t.count / qMax(1, field.seen)));
        parts.append(jsonTypeName(t.type) + u' ' + QString::number(percent) + u'%');
    }
    return parts.join(QStringLiteral(" · "));
}

QString fieldToolTip(const FieldShape &field, int payloads)
{
    QStringList lines{
        field.path, PayloadShapeView::tr("In %1 of %2 payloads").arg(field.present).arg(payloads)};
    for (const FieldTypeShare &t : field.types) {
        lines.append(PayloadShapeView::tr("%1 × %2, e.g. %3")
                         .arg(jsonTypeName(t.type))
                         .arg(t.count)
                         .arg(t.example));
    }
    return lines.join(u'\n');
}

} // namespace

PayloadShapeView::PayloadShapeView(QWidget *parent)
    : QWidget(parent)
    , m_shape(new PayloadShape(this))
    , m_trigger(new QComboBox(this))
    , m_summary(new QLabel(this))
    , m_stack(new QStackedWidget(this))
    , m_empty(new QLabel(this))
    , m_tree(new QTreeWidget(this))
    , m_copy(new QPushButton(tr("Copy as sample parameters"), this))
    , m_use(new QPushButton(tr("Use as action parameters…"), this))
{
    setObjectName(QStringLiteral("payloadShapeView"));
    nameControl(m_trigger, QStringLiteral("payloadShapeTrigger"), tr("Trigger"));
    m_trigger->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_trigger->setMinimumContentsLength(16);
    m_summary->setObjectName(QStringLiteral("payloadShapeSummary"));
    QPalette mutedPalette = m_summary->palette();
    mutedPalette.setColor(QPalette::WindowText, Theme::color(Theme::Role::Muted, this));
    m_summary->setPalette(mutedPalette);

    nameControl(m_tree, QStringLiteral("payloadShapeFields"), tr("Payload fields"));
    m_tree->setColumnCount(4);
    m_tree->setHeaderLabels({tr("Field"), tr("Types"), tr("Present"), tr("Example")});
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->header()->setStretchLastSection(true);
    m_tree->setColumnWidth(FieldColumn, 200);
    m_tree->setColumnWidth(TypesColumn, 170);
    m_tree->setColumnWidth(PresentColumn, 80);

    m_empty->setObjectName(QStringLiteral("payloadShapeEmpty"));
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setMargin(16);
    m_empty->setPalette(mutedPalette);
    m_empty->setText(tr("No trigger payloads yet.\n\nPayloads appear here as the monitor sees "
                        "trigger activations: fire a trigger (from the explorer, the webhook "
                        "console or its feed) to see its fields, their types and how often each "
                        "occurs."));
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_tree);

    nameControl(m_copy, QStringLiteral("copySampleParameters"), tr("Copy as sample parameters"));
    m_copy->setToolTip(tr("Copy a parameter set shaped like this trigger's payloads, as JSON"));
    nameControl(m_use, QStringLiteral("useSampleParameters"), tr("Use as action parameters"));
    m_use->setToolTip(tr("Open this parameter set in the action editor"));

    auto *chooserLabel = new QLabel(tr("&Trigger:"), this);
    chooserLabel->setBuddy(m_trigger);
    auto *top = new QHBoxLayout;
    top->addWidget(chooserLabel);
    top->addWidget(m_trigger);
    top->addWidget(m_summary, 1);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_copy);
    buttons->addWidget(m_use);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(m_stack, 1);
    layout->addLayout(buttons);

    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(refreshIntervalMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &PayloadShapeView::refresh);
    connect(m_shape, &PayloadShape::changed, this, &PayloadShapeView::onShapeChanged);
    connect(m_trigger, &QComboBox::currentTextChanged, this, [this] {
        m_collapsed.clear();
        m_tree->clear();
        refresh();
    });
    connect(m_tree, &QTreeWidget::itemCollapsed, this, [this](QTreeWidgetItem *item) {
        m_collapsed.insert(item->data(FieldColumn, Qt::UserRole).toString());
    });
    connect(m_tree, &QTreeWidget::itemExpanded, this, [this](QTreeWidgetItem *item) {
        m_collapsed.remove(item->data(FieldColumn, Qt::UserRole).toString());
    });
    connect(m_copy, &QPushButton::clicked, this, &PayloadShapeView::copySample);
    connect(m_use, &QPushButton::clicked, this, [this] {
        const QString trigger = currentTrigger();
        const QJsonObject params = m_shape->sampleParameters(trigger);
        if (!params.isEmpty())
            Q_EMIT sampleParametersRequested(trigger, params);
    });
    refresh();
}

QString PayloadShapeView::currentTrigger() const
{
    return m_trigger->currentText();
}

void PayloadShapeView::setCurrentTrigger(const QString &trigger)
{
    const int index = m_trigger->findText(trigger);
    if (index >= 0)
        m_trigger->setCurrentIndex(index);
}

bool PayloadShapeView::isShowingEmptyState() const
{
    return m_stack->currentWidget() == m_empty;
}

void PayloadShapeView::onShapeChanged(const QStringList &triggers)
{
    bool added = false;
    for (const QString &t : triggers)
        added |= m_trigger->findText(t) < 0;
    if (added) {
        // Keep the list sorted and the choice where it was; the first trigger seen is shown.
        const QString current = currentTrigger();
        const QSignalBlocker blocker(m_trigger);
        m_trigger->clear();
        m_trigger->addItems(m_shape->triggers());
        m_trigger->setCurrentIndex(current.isEmpty() ? 0 : m_trigger->findText(current));
    }
    if (added || triggers.contains(currentTrigger()) || !m_shape->payloadCount(currentTrigger())) {
        if (!m_refreshTimer.isActive())
            m_refreshTimer.start();
    }
}

void PayloadShapeView::refresh()
{
    m_refreshTimer.stop();
    const QString trigger = currentTrigger();
    const int payloads = m_shape->payloadCount(trigger);
    if (payloads == 0) {
        m_stack->setCurrentWidget(m_empty);
        m_summary->clear();
        m_copy->setEnabled(false);
        m_use->setEnabled(false);
        return;
    }
    const QList<FieldShape> fields = m_shape->fields(trigger);
    const int scroll = m_tree->verticalScrollBar()->value();
    m_tree->setUpdatesEnabled(false);
    m_tree->clear();
    QList<QTreeWidgetItem *> parents;
    for (const FieldShape &f : fields) {
        QTreeWidgetItem *parent
            = f.depth > 0 && f.depth <= parents.size() ? parents[f.depth - 1] : nullptr;
        auto *item = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(m_tree);
        parents.resize(f.depth);
        parents.append(item);
        item->setText(FieldColumn, f.key);
        item->setData(FieldColumn, Qt::UserRole, f.path);
        item->setText(TypesColumn, typesText(f));
        item->setText(PresentColumn, tr("%1 / %2").arg(f.present).arg(payloads));
        if (f.present < payloads)
            item->setForeground(PresentColumn, Theme::color(Theme::Role::Warning, this));
        if (!f.types.isEmpty()) {
            // Quoted, so that the string "1" and the number 1 look different.
            const FieldTypeShare &common = f.types.first();
            item->setText(ExampleColumn,
                          common.type == JsonType::String ? u'"' + common.example + u'"'
                                                          : common.example);
        }
        const QString tip = fieldToolTip(f, payloads);
        for (int c = FieldColumn; c <= ExampleColumn; ++c)
            item->setToolTip(c, tip);
    }
    // Expand after the whole tree exists (expanding needs the item in the view).
    for (QTreeWidgetItemIterator it(m_tree); *it; ++it)
        (*it)->setExpanded(
            !m_collapsed.contains((*it)->data(FieldColumn, Qt::UserRole).toString()));
    m_tree->setUpdatesEnabled(true);
    m_tree->verticalScrollBar()->setValue(scroll);
    m_stack->setCurrentWidget(m_tree);

    QString summary = (payloads == 1 ? tr("1 payload") : tr("%1 payloads").arg(payloads))
                      + QStringLiteral(" · ")
                      + (fields.size() == 1 ? tr("1 field") : tr("%1 fields").arg(fields.size()));
    if (m_shape->isTruncated(trigger))
        summary += QStringLiteral(" · ") + tr("large payloads only partly read");
    m_summary->setText(summary);
    const bool hasSample = !m_shape->sampleParameters(trigger).isEmpty();
    m_copy->setEnabled(hasSample);
    m_use->setEnabled(hasSample);
}

void PayloadShapeView::copySample()
{
    const QString trigger = currentTrigger();
    const QJsonObject params = m_shape->sampleParameters(trigger);
    if (params.isEmpty())
        return;
    QGuiApplication::clipboard()->setText(
        QString::fromUtf8(QJsonDocument(params).toJson(QJsonDocument::Indented)));
    Q_EMIT statusMessage(
        tr("Copied sample parameters shaped like the payloads of '%1'.").arg(trigger));
}

} // namespace Feedscope::Ui
