// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "payloadshape.h"

#include <QSet>
#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QStackedWidget;
class QTreeWidget;

namespace Feedscope::Ui {

// The payload shape of one trigger at a time (issue G): a trigger chooser and a tree of its
// payloads' fields — types with their share, in how many payloads each occurs, an example.
// "Copy as sample parameters" puts a representative parameter set on the clipboard as JSON;
// "Use as action parameters…" hands it on (sampleParametersRequested) for the action editor.
// Shows what to do while no payload has been seen. Updates at most four times a second.
//
// Fed with ActivationStream's batches through ingest(); the inference is PayloadShape's.
class PayloadShapeView : public QWidget
{
    Q_OBJECT

public:
    static constexpr int refreshIntervalMs = 250;

    explicit PayloadShapeView(QWidget *parent = nullptr);

    PayloadShape *shape() const { return m_shape; }
    void ingest(const QList<Feedscope::ActivationRecord> &records) { m_shape->ingest(records); }

    QString currentTrigger() const;
    // Shows `trigger`'s shape (the chooser lists every trigger seen).
    void setCurrentTrigger(const QString &trigger);

    QComboBox *triggerChooser() const { return m_trigger; }
    QTreeWidget *fieldsView() const { return m_tree; }
    QPushButton *copyButton() const { return m_copy; }
    QPushButton *useButton() const { return m_use; }
    QLabel *summaryLabel() const { return m_summary; }
    bool isShowingEmptyState() const;

Q_SIGNALS:
    void sampleParametersRequested(const QString &trigger, const QJsonObject &params);
    void statusMessage(const QString &text);

private:
    enum Column { FieldColumn, TypesColumn, PresentColumn, ExampleColumn };

    void onShapeChanged(const QStringList &triggers);
    void refresh();
    void copySample();

    PayloadShape *m_shape;
    QComboBox *m_trigger;
    QLabel *m_summary;
    QStackedWidget *m_stack;
    QLabel *m_empty;
    QTreeWidget *m_tree;
    QPushButton *m_copy;
    QPushButton *m_use;
    QTimer m_refreshTimer;
    QSet<QString> m_collapsed; // field paths the user folded, kept across refreshes
};

} // namespace Feedscope::Ui
