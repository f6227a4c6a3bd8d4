// The reference in docs/generated/ is what ODS generates today; run
// `ninja -C build attn-doc` after changing a .td file.
// RUN: diff %attn_obj_root/docs/Dialects/AttnDialect.md %attn_src_root/docs/generated/AttnDialect.md
// RUN: diff %attn_obj_root/docs/AttnConversionPasses.md %attn_src_root/docs/generated/AttnConversionPasses.md
// RUN: diff %attn_obj_root/docs/AttnPasses.md %attn_src_root/docs/generated/AttnPasses.md
