// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entities.h"
#include "entityeditor.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QRadioButton;
class QTableWidget;

namespace Feedscope::Ui {

class JsonField;
class MessageBar;

// A package or a binding. A binding names its target package (picked from the namespace's own
// packages and the system's published ones) and binds parameters; the merged view shows what a
// feed of the binding receives, with where each value comes from — package < binding < call
// (PROTOCOL.md 1.7, 3.2).
class PackageEditor : public EntityEditor
{
    Q_OBJECT

public:
    PackageEditor(Session *session, const EntityRef &entity, QWidget *parent = nullptr);

    QRadioButton *bindingRadio() const { return m_binding; }
    QComboBox *targetCombo() const { return m_target; }
    JsonField *parametersField() const { return m_parameters; }
    JsonField *annotationsField() const { return m_annotations; }
    QTableWidget *mergedView() const { return m_merged; }
    QCheckBox *publishBox() const { return m_publish; }

protected:
    void fetch() override;
    void send(const QualifiedName &name) override;
    QString validationError() const override;
    MessageBar *fieldMessage(const WhiskError &error) const override;

private:
    void modeChanged();
    void loadTarget();
    void showMerged();

    Package m_package;
    QJsonObject m_targetParameters;
    QRadioButton *m_plain;
    QRadioButton *m_binding;
    QComboBox *m_target;
    MessageBar *m_targetMessage;
    QCheckBox *m_publish;
    JsonField *m_parameters;
    QLabel *m_parametersNote = nullptr;
    JsonField *m_annotations;
    QTableWidget *m_merged;
};

} // namespace Feedscope::Ui
